/** @odoo-module **/

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("resource_sharing_sister_staffing_tour", {
    steps: () => [
        {
            content: "Find candidates for the open position",
            trigger: ".o_field_widget[name='line_ids'] button[name='action_find_candidates']",
            run: "click",
        },
        {
            content: "The Belgian expert is a candidate, lent by her company",
            trigger: ".modal .o_data_row:contains('Bea Belgian Expert') td[name='lent_by']:contains('Staffing Belgium')",
        },
        {
            content: "Allocate the Belgian expert",
            trigger:
                ".modal .o_data_row:contains('Bea Belgian Expert') button[name='action_allocate']",
            run: "click",
        },
        {
            content: "The allocation names the lending company",
            trigger: ".o_form_view .o_field_widget[name='lending_company_id']:contains('Staffing Belgium')",
        },
        {
            content: "Ask the Belgian company's consent",
            trigger: ".o_form_view button[name='action_request_approval']:contains('Ask Consent')",
            run: "click",
        },
        {
            content: "The allocation waits for the consent",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='to_approve']",
        },
    ],
});

registry.category("web_tour.tours").add("resource_sharing_sister_consent_tour", {
    steps: () => [
        {
            content: "The Belgian planner opens the consultant lent to the Dutch project",
            trigger: ".o_data_row:contains('Bea Belgian Expert') .o_data_cell[name='project_id']",
            run: "click",
        },
        {
            content: "Consent to lending her",
            trigger: ".o_form_view button[name='action_consent']",
            run: "click",
        },
        {
            content: "The loan is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='confirmed']",
        },
    ],
});
