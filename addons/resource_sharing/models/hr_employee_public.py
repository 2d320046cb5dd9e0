from odoo import fields, models


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    # Planners and approvers are no HR officers: they read consultants through
    # the public profile, which must tell internal from external consultants.
    staffing_partner_id = fields.Many2one(
        comodel_name="res.partner", string="Partner Company", readonly=True
    )
    is_external = fields.Boolean(string="External Consultant", readonly=True)
