from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    staffing_request_ids = fields.One2many(
        comodel_name="staffing.request",
        inverse_name="project_id",
        string="Staffing Requests",
    )
    staffing_request_count = fields.Integer(compute="_compute_staffing_counts")
    staffing_allocation_count = fields.Integer(compute="_compute_staffing_counts")

    def _compute_staffing_counts(self):
        request_counts = dict(
            self.env["staffing.request"]._read_group(
                [("project_id", "in", self.ids)], ["project_id"], ["__count"]
            )
        )
        allocations = dict(
            self.env["staffing.allocation"]._read_group(
                [("project_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["project_id"],
                ["__count"],
            )
        )
        for project in self:
            project.staffing_request_count = request_counts.get(project, 0)
            project.staffing_allocation_count = allocations.get(project, 0)

    def action_view_staffing_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "resource_sharing.staffing_request_action"
        )
        action["domain"] = [("project_id", "=", self.id)]
        action["context"] = {
            "default_project_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def action_view_staffing_allocations(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "resource_sharing.staffing_allocation_action"
        )
        action["domain"] = [("project_id", "=", self.id)]
        action["context"] = {"default_project_id": self.id}
        return action
