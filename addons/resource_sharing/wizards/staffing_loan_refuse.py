from odoo import fields, models


class StaffingLoanRefuse(models.TransientModel):
    _name = "staffing.loan.refuse"
    _description = "Refuse Lending a Consultant"

    loan_ids = fields.Many2many(comodel_name="staffing.loan", required=True)
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.loan_ids._do_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
