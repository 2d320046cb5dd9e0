/** @odoo-module **/

import {registry} from "@web/core/registry";

// the smallest PDF the server recognises as one
const CV_PDF = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

registry.category("web_tour.tours").add("resource_sharing_partner_portal_tour", {
    steps: () => [
        {
            content: "The partner opens the request sent to its company",
            trigger: "a.o_staffing_request_link:contains('Test Solution Architect')",
            run: "click",
        },
        {
            content: "Name a new consultant",
            trigger: "form.o_staffing_propose_form input[name='consultant_name']",
            run: "edit Marta Zielinska",
        },
        {
            content: "Her SAP level",
            trigger: "form.o_staffing_propose_form select[name^='skill_']:first",
            run: "selectByLabel Expert",
        },
        {
            content: "Her hourly rate",
            trigger: "form.o_staffing_propose_form input[name='hourly_rate']",
            run: "edit 95",
        },
        {
            content: "Attach her CV",
            trigger: "form.o_staffing_propose_form input[name='cv']",
            run(helpers) {
                const input = helpers.anchor;
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File([CV_PDF], "marta-cv.pdf", {type: "application/pdf"})
                );
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            content: "Propose her",
            trigger: "form.o_staffing_propose_form button.o_staffing_propose",
            run: "click",
        },
        {
            content: "The proposal is sent",
            trigger: ".o_staffing_success",
        },
        {
            content: "and listed with the company's proposals",
            trigger: ".o_staffing_proposals:contains('Marta Zielinska')",
        },
    ],
});

registry.category("web_tour.tours").add("resource_sharing_partner_accept_tour", {
    steps: () => [
        {
            content: "Open the position's partner proposals",
            trigger: ".o_notebook a.nav-link:contains('Partner Proposals')",
            run: "click",
        },
        {
            content: "Accept the partner's consultant",
            trigger:
                ".o_field_widget[name='partner_proposal_ids'] .o_data_row:contains('Marta Zielinska') button[name='action_accept']",
            run: "click",
        },
        {
            content: "A tentative external allocation opens",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='draft']",
        },
        {
            content: "Ask its approval",
            trigger: ".o_form_view button[name='action_request_approval']:contains('Request Approval')",
            run: "click",
        },
        {
            content: "It waits for an approver",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='to_approve']",
        },
    ],
});

registry.category("web_tour.tours").add("resource_sharing_partner_approve_tour", {
    steps: () => [
        {
            content: "Open the partner consultant's allocation waiting for me",
            trigger: ".o_data_row:contains('Marta Zielinska') .o_data_cell[name='project_id']",
            run: "click",
        },
        {
            content: "The partner's offer is on the approval tab",
            trigger: ".o_field_widget[name='partner_proposal_id']:contains('Marta Zielinska')",
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
