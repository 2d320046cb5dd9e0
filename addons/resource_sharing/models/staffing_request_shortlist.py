from odoo import api, models


class StaffingRequestShortlist(models.Model):
    _inherit = "staffing.request"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_shortlist(self):
        """The database would refuse the cascade to positions with a shortlist."""
        self.line_ids._unlink_except_shortlist()
