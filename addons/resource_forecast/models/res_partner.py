from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        result = super().write(vals)
        if "staffing_purchase_rate" in vals:
            # sudo: the partner's consultants, readable or not
            employees = self.sudo().staffing_employee_ids
            if employees:
                self.env["staffing.forecast.line"]._refresh(employees, None, None)
        return result
