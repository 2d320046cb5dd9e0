from odoo import fields, models


class StaffingAllocationReject(models.TransientModel):
    _name = "staffing.allocation.reject"
    _description = "Reject External Allocation"

    allocation_ids = fields.Many2many(comodel_name="staffing.allocation", required=True)
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        self.allocation_ids._do_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
