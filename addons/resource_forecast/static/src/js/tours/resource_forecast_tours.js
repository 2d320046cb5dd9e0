/** @odoo-module **/

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("resource_forecast_finance_tour", {
    steps: () => [
        {
            content: "The forecast opens as a pivot with a column per month",
            trigger: ".o_pivot .o_pivot_header_cell_opened",
        },
        {
            content: "Finance sees planned confirmed hours",
            trigger: ".o_pivot .o_pivot_measure_row:contains('Planned Confirmed')",
        },
        {
            content: "and the revenue",
            trigger: ".o_pivot .o_pivot_measure_row:contains('Revenue')",
        },
        {
            content: "The project the test staffed is a row",
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains('Forecast Tour Project')",
        },
    ],
});
