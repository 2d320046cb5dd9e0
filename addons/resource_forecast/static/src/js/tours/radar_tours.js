/** @odoo-module **/

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("resource_forecast_radar_tour", {
    steps: () => [
        {
            content: "The consultant rolling off is on the radar with the position that fits",
            trigger:
                ".o_data_row:contains('Alice Expert'):contains('Test Solution Architect')",
        },
        {
            content: "Allocate her tentatively on the best match",
            trigger: ".o_data_row:contains('Alice Expert') button[name='action_allocate_best']",
            run: "click",
        },
        {
            content: "A tentative allocation opens",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='draft']",
        },
    ],
});

registry.category("web_tour.tours").add("resource_forecast_outlook_planner_tour", {
    steps: () => [
        {
            content: "The outlook lists the role's demand per month",
            trigger: ".o_data_row:contains('Test Solution Architect')",
        },
        {
            content: "A planner sees hours, not the pipeline revenue",
            trigger: ".o_list_view:not(:has(th[data-name='pipeline_revenue']))",
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "Roles in rows, demand and supply as measures",
            trigger: ".o_pivot .o_pivot_measure_row:contains('Supply')",
        },
    ],
});

registry.category("web_tour.tours").add("resource_forecast_outlook_finance_tour", {
    steps: () => [
        {
            content: "Finance sees the weighted pipeline revenue",
            trigger: ".o_list_view th[data-name='pipeline_revenue']",
        },
        {
            content: "and the month short of architects is highlighted",
            trigger: ".o_data_row.text-danger:contains('Test Solution Architect')",
        },
    ],
});
