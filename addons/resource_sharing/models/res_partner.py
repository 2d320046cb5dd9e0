from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_staffing_partner = fields.Boolean(
        string="Supplies Consultants",
        help="A partner company whose consultants can be staffed on projects.",
    )
    staffing_employee_ids = fields.One2many(
        comodel_name="hr.employee",
        inverse_name="staffing_partner_id",
        string="Partner Consultants",
    )
    staffing_employee_count = fields.Integer(
        compute="_compute_staffing_employee_count",
    )
    staffing_country_ids = fields.Many2many(
        comodel_name="res.country",
        string="Delivery Countries",
        help="Countries this partner company delivers consultants from.",
    )
    staffing_purchase_rate = fields.Float(
        string="Default Purchase Rate",
        groups="resource_sharing.group_planner,resource_sharing.group_approver",
        help="Hourly rate paid to this partner, used for consultants without "
        "a rate of their own.",
    )
    staffing_contract_notes = fields.Html(
        string="Contract Notes",
        groups="resource_sharing.group_planner,resource_sharing.group_approver",
    )

    @api.depends("staffing_employee_ids")
    def _compute_staffing_employee_count(self):
        groups = self.env["hr.employee"]._read_group(
            [("staffing_partner_id", "in", self.ids)],
            ["staffing_partner_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.staffing_employee_count = counts.get(partner.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_staffing_rate_value(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_staffing_rate_value(vals)
        return super().write(vals)

    def _check_staffing_rate_value(self, vals):
        if "staffing_purchase_rate" in vals:
            self.env["staffing.guard.mixin"]._check_value_bounds(
                self._fields["staffing_purchase_rate"],
                vals["staffing_purchase_rate"],
                self._description,
            )

    @api.constrains("staffing_purchase_rate")
    def _check_staffing_purchase_rate(self):
        for partner in self:
            if partner.staffing_purchase_rate < 0:
                raise ValidationError(
                    self.env._(
                        "The purchase rate of %(partner)s cannot be negative.",
                        partner=partner.display_name,
                    )
                )

    def action_view_staffing_employees(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "resource_sharing.hr_employee_action_staffing"
        )
        action["domain"] = [("staffing_partner_id", "=", self.id)]
        action["context"] = {
            "default_staffing_partner_id": self.id,
            "active_test": False,
        }
        return action
