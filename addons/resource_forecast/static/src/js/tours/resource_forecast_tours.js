/** @odoo-module **/

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("resource_forecast_finance_tour", {
    steps: () => [
        {
            content: "The forecast opens on this month and the next eleven",
            trigger: ".o_searchview_facet:contains('This Month and Next 11')",
        },
        {
            content: "as a pivot with a column per month",
            trigger: ".o_pivot .o_pivot_header_cell_opened",
        },
        {
            content: "Planned hours are a default measure",
            trigger: ".o_pivot .o_pivot_measure_row:contains('Planned Hours')",
        },
        {
            content: "and so are actual hours",
            trigger: ".o_pivot .o_pivot_measure_row:contains('Actual Hours')",
        },
        {
            content: "and capacity",
            trigger: ".o_pivot .o_pivot_measure_row:contains('Capacity Hours')",
        },
        {
            content: "The project the test staffed is a row",
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains('Forecast Tour Project')",
        },
        {
            content: "Open the measures",
            trigger: ".o_pivot_buttons button:contains('Measures')",
            run: "click",
        },
        {
            content: "Finance can add the revenue",
            trigger: ".o-dropdown--menu .o_menu_item:contains('Revenue')",
        },
    ],
});

registry.category("web_tour.tours").add("resource_forecast_bench_tour", {
    steps: () => [
        {
            content: "The bench opens as a list of free consultants",
            trigger: ".o_list_view .o_data_row:contains('Bench Tour Consultant')",
        },
        {
            content: "with their skills",
            trigger: ".o_data_row:contains('Bench Tour Consultant'):contains('SAP')",
        },
        {
            content: "Open the positions that fit",
            trigger:
                ".o_data_row:contains('Bench Tour Consultant') button[name='action_open_positions']",
            run: "click",
        },
        {
            content: "The fitting position is listed",
            trigger: ".o_breadcrumb:contains('Open positions for Bench Tour Consultant')",
        },
        {
            content: "on the project that asked for it",
            trigger: ".o_data_row:contains('Bench Tour Project')",
        },
    ],
});
