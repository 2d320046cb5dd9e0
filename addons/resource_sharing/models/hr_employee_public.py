from odoo import fields, models


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    # Planners and approvers are no HR officers: they read consultants through
    # the public profile, which must tell internal from external consultants.
    staffing_partner_id = fields.Many2one(
        comodel_name="res.partner", string="Partner Company", readonly=True
    )
    is_external = fields.Boolean(string="External Consultant", readonly=True)
    staffing_load_percent = fields.Float(
        string="Load Next 4 Weeks (%)",
        compute="_compute_staffing_load_percent",
    )

    def _compute_staffing_load_percent(self):
        # sudo: the load comes from the private profile's calendar and bookings
        private = self.env["hr.employee"].sudo().browse(self.ids)
        loads = {employee.id: employee.staffing_load_percent for employee in private}
        for employee in self:
            employee.staffing_load_percent = loads.get(employee.id, 0.0)
