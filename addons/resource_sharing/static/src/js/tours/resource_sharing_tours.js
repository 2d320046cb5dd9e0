/** @odoo-module **/

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("resource_sharing_planner_tour", {
    steps: () => [
        {
            content: "The PMO takes the handed-over request",
            trigger: ".o_form_view button[name='action_start']",
            run: "click",
        },
        {
            content: "The request is in progress",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='in_progress']",
        },
        {
            content: "Find candidates for the open position",
            trigger: ".o_field_widget[name='line_ids'] button[name='action_find_candidates']",
            run: "click",
        },
        {
            content: "The best candidate is the internal SAP expert",
            trigger: ".modal .o_data_row:first-child:contains('Alice Expert')",
        },
        {
            content: "Allocate the best candidate",
            trigger: ".modal .o_data_row:first-child button[name='action_allocate']",
            run: "click",
        },
        {
            content: "Confirm the tentative allocation",
            trigger: ".o_form_view button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The allocation is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='confirmed']",
        },
    ],
});

registry.category("web_tour.tours").add("resource_sharing_approver_tour", {
    steps: () => [
        {
            content: "Open the external allocation waiting for me",
            trigger: ".o_data_row:contains('Xavier External') .o_data_cell[name='project_id']",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view button[name='action_approve']",
            run: "click",
        },
        {
            content: "The allocation is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='confirmed']",
        },
    ],
});

registry.category("web_tour.tours").add("resource_sharing_timeline_tour", {
    steps: () => [
        {
            content: "The allocations open in the timeline, one row per consultant",
            trigger: ".o_timeline_view .vis-timeline",
        },
        {
            content: "The confirmed allocation is on the timeline",
            trigger: ".vis-item:contains('Alice Expert on Brabant ERP')",
        },
    ],
});

registry.category("web_tour.tours").add("resource_sharing_view_smoke", {
    steps: () => [
        {
            content: "The view renders without a client error",
            trigger: ".o_action_manager .o_view_controller",
        },
    ],
});
