/** @odoo-module **/

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("resource_sharing_autostaff_tour", {
    steps: () => [
        {
            content: "Auto-staff the whole request",
            trigger: ".o_form_view .o_form_statusbar button:contains('Auto-staff')",
            run: "click",
        },
        {
            content: "Compute the proposal",
            trigger: ".o_form_view button[name='action_compute']:contains('Compute')",
            run: "click",
        },
        {
            content: "The optimizer proposes the SAP expert for the architect position",
            trigger:
                ".o_field_widget[name='line_ids'] .o_data_row:contains('Alice Expert')",
        },
        {
            content: "with its score as one badge per part",
            trigger:
                ".o_field_widget[name='line_ids'] .o_data_row:contains('Alice Expert') .o_staffing_score_part[data-key='skills']:contains('Skills')",
        },
        {
            content: "next to the first-fit baseline",
            trigger: ".o_field_widget[name='greedy_filled_hours']",
        },
        {
            content: "Apply the selected lines",
            trigger: ".o_form_view button[name='action_apply']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The proposal is applied",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='applied']",
        },
        {
            content: "See the proposal on a timeline",
            trigger: ".o_form_view .o-form-buttonbox button[name='action_open_timeline']",
            run: "click",
        },
        {
            content: "one row per consultant",
            trigger: ".oe_timeline_view .vis-label:contains('Alice Expert')",
        },
        {
            content: "with the applied line on it",
            trigger: ".oe_timeline_view .vis-item .o_staffing_proposal_timeline_item",
        },
    ],
});
