from odoo import fields, models


class StaffingLedgerBooking(models.Model):
    """The hours of one active allocation on one day, spread along capacity.

    Written only by ``staffing.ledger`` (set-based SQL); the per-day totals of a
    consultant live in ``staffing.ledger``, the forecast reads these rows to cost
    each allocation.
    """

    _name = "staffing.ledger.booking"
    _description = "Staffing Ledger Booking"
    _order = "date, allocation_id"
    _log_access = False

    allocation_id = fields.Many2one(
        comodel_name="staffing.allocation",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    employee_id = fields.Many2one(
        comodel_name="hr.employee",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
    date = fields.Date(required=True, readonly=True)
    hours = fields.Float(readonly=True)
    is_confirmed = fields.Boolean(readonly=True)

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS staffing_ledger_booking_employee_date_idx "
            "ON staffing_ledger_booking (employee_id, date)"
        )
