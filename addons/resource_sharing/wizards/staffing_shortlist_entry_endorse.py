from odoo import fields, models


class StaffingShortlistEntryEndorse(models.TransientModel):
    _name = "staffing.shortlist.entry.endorse"
    _description = "Endorse a Shortlisted Consultant"

    entry_id = fields.Many2one(
        comodel_name="staffing.shortlist.entry",
        required=True,
        ondelete="cascade",
    )
    employee_id = fields.Many2one(related="entry_id.employee_id")
    request_line_id = fields.Many2one(related="entry_id.request_line_id")
    comment = fields.Text(required=True)

    def action_endorse(self):
        self.ensure_one()
        self.entry_id.action_endorse(self.comment)
        return {"type": "ir.actions.act_window_close"}
