from odoo import models


class StaffingLedger(models.Model):
    _inherit = "staffing.ledger"

    def _on_settled(self, employees):
        """A pending consultant's ledger is exact again: so is their forecast.

        The forecast skips consultants whose ledger is pending (their capacity
        is stale); the rebuild that settles them refreshes their whole window.
        """
        result = super()._on_settled(employees)
        self.env["staffing.forecast.line"]._queue_refresh(employees)
        return result
