/** @odoo-module **/

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("resource_sharing_shortlist_tour", {
    steps: () => [
        {
            content: "Find candidates for the position",
            trigger: ".o_form_view button[name='action_find_candidates']",
            run: "click",
        },
        {
            content: "Shortlist the internal SAP expert",
            trigger:
                ".modal .o_data_row:contains('Alice Expert') button[name='action_add_to_shortlist']",
            run: "click",
        },
        {
            content: "Alice is on the shortlist before the next click",
            trigger:
                ".modal .o_data_row:contains('Alice Expert'):not(:has(button[name='action_add_to_shortlist']))",
        },
        {
            content: "Shortlist the partner's SAP expert too",
            trigger:
                ".modal .o_data_row:contains('Xavier External') button[name='action_add_to_shortlist']",
            run: "click",
        },
        {
            content: "Both are on the shortlist: the dialog offers neither again",
            trigger:
                ".modal .o_data_row:contains('Xavier External'):not(:has(button[name='action_add_to_shortlist']))",
        },
        {
            content: "Close the candidates",
            trigger: ".modal footer button:contains('Close')",
            run: "click",
        },
        {
            content: "Open the shortlist",
            trigger: ".o_notebook a[name='shortlist']",
            run: "click",
        },
        {
            content: "The shortlist holds the partner consultant",
            trigger: ".o_field_widget[name='shortlist_entry_ids'] .o_data_row:contains('Xavier External')",
        },
        {
            content: "Nothing left unsaved on the position",
            trigger: ".o_form_view .o_form_status_indicator:not(:has(.o_form_status_indicator_buttons:not(.invisible)))",
        },
        {
            content: "Ask the technical architect to review it",
            trigger: ".o_form_view button[name='action_request_review']",
            run: "click",
        },
        {
            content: "The review is asked",
            trigger: ".o_field_widget[name='review_state']:contains('Review Asked')",
        },
    ],
});

registry.category("web_tour.tours").add("resource_sharing_endorse_tour", {
    steps: () => [
        {
            content: "Open the shortlist to review",
            trigger: ".o_notebook a[name='shortlist']",
            run: "click",
        },
        {
            content: "Endorse the partner's SAP expert",
            trigger:
                ".o_field_widget[name='shortlist_entry_ids'] .o_data_row:contains('Xavier External') button[name='action_open_endorse']",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name='comment'] textarea",
            run: "edit The only S/4 migration expert free in March",
        },
        {
            content: "Endorse",
            trigger: ".modal button[name='action_endorse']",
            run: "click",
        },
        {
            content: "The position's shortlist is endorsed",
            trigger: ".o_field_widget[name='review_state']:contains('Endorsed')",
        },
    ],
});
