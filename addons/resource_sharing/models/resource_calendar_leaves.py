from datetime import timedelta

from odoo import api, models

# fields of a leave that move capacity
LEDGER_FIELDS = frozenset(
    {"date_from", "date_to", "resource_id", "calendar_id", "time_type", "company_id"}
)


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._refresh_staffing_ledger(leaves._get_staffing_ranges())
        return leaves

    def write(self, vals):
        if not LEDGER_FIELDS & set(vals):
            return super().write(vals)
        before = self._get_staffing_ranges()
        result = super().write(vals)
        self._refresh_staffing_ledger(before + self._get_staffing_ranges())
        return result

    def unlink(self):
        before = self._get_staffing_ranges()
        result = super().unlink()
        self._refresh_staffing_ledger(before)
        return result

    def _get_staffing_ranges(self):
        """[(consultants, first day, last day)] whose capacity the leaves change."""
        # sudo: leaves of colleagues are private; their capacity is not
        employees = self.env["hr.employee"].sudo().with_context(active_test=False)
        ranges = []
        for leave in self.sudo():
            if not (leave.date_from and leave.date_to):
                continue
            if leave.resource_id:
                domain = [("resource_id", "=", leave.resource_id.id)]
            elif leave.calendar_id:
                domain = [("resource_calendar_id", "=", leave.calendar_id.id)]
            else:
                domain = [("company_id", "=", leave.company_id.id)]
            affected = employees.search(domain)
            if affected:
                ranges.append((affected, *self._get_local_days(leave)))
        return ranges

    def _get_local_days(self, leave):
        """The days a leave touches, one wider each side for any time zone."""
        return (
            leave.date_from.date() - timedelta(days=1),
            leave.date_to.date() + timedelta(days=1),
        )

    @api.model
    def _refresh_staffing_ledger(self, ranges):
        """Rewrite the capacity the leaves change; tell the confirmed work it hits."""
        ledger = self.env["staffing.ledger"]
        spans = ledger._get_confirmed_spans(ranges)
        before = ledger._read_confirmed_days(spans)
        for employees, date_from, date_to in ranges:
            ledger._refresh_capacity(employees, date_from, date_to)
        if spans:
            self.env["staffing.allocation"]._note_leave_impact(
                before, ledger._read_confirmed_days(spans)
            )
