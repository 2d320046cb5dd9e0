from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# fields of a consultant that move their rows in the staffing ledger
LEDGER_FIELDS = frozenset({"resource_calendar_id", "tz", "company_id", "active"})
# the span of days the ledger holds for a consultant, and whether its rows wait
# for a background rebuild: written by the ledger's SQL only
LEDGER_SPAN_FIELDS = frozenset(
    {"staffing_ledger_start", "staffing_ledger_end", "staffing_ledger_pending"}
)


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    staffing_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Company",
        domain=[("is_staffing_partner", "=", True)],
        ondelete="restrict",
        index="btree_not_null",
        tracking=True,
        help="The partner company an external consultant comes from; empty for "
        "internal consultants.",
    )
    is_external = fields.Boolean(
        string="External Consultant",
        compute="_compute_is_external",
        store=True,
    )
    staffing_purchase_rate = fields.Float(
        string="Purchase Rate",
        groups="resource_sharing.group_planner,resource_sharing.group_approver",
        # not prefetched: planners read employees through their public profile,
        # which does not carry this field
        prefetch=False,
        help="Hourly rate paid to the partner company for this consultant; "
        "empty uses the partner's default rate.",
    )
    staffing_allocation_ids = fields.One2many(
        comodel_name="staffing.allocation",
        inverse_name="employee_id",
        string="Allocations",
    )
    staffing_allocation_count = fields.Integer(
        compute="_compute_staffing_allocation_count",
    )
    staffing_ledger_start = fields.Date(
        copy=False,
        readonly=True,
        # read by SQL only; not prefetched, as it is no public profile field
        prefetch=False,
        help="First day the staffing ledger holds for this consultant.",
    )
    staffing_ledger_end = fields.Date(
        copy=False,
        readonly=True,
        # read by SQL only; not prefetched, as it is no public profile field
        prefetch=False,
        help="Last day the staffing ledger holds for this consultant.",
    )
    staffing_ledger_pending = fields.Boolean(
        copy=False,
        readonly=True,
        # read by SQL only; not prefetched, as it is no public profile field
        prefetch=False,
        help="The consultant's staffing ledger waits for a background rebuild "
        "after a change of many consultants' working schedule.",
    )
    staffing_load_percent = fields.Float(
        string="Load Next 4 Weeks (%)",
        compute="_compute_staffing_load_percent",
        help="Confirmed allocated hours over capacity in the coming four weeks.",
    )

    @api.depends("staffing_partner_id")
    def _compute_is_external(self):
        for employee in self:
            employee.is_external = bool(employee.staffing_partner_id)

    def _compute_staffing_allocation_count(self):
        groups = self.env["staffing.allocation"]._read_group(
            [("employee_id", "in", self.ids), ("state", "not in", ("cancelled",))],
            ["employee_id"],
            ["__count"],
        )
        counts = {employee.id: count for employee, count in groups}
        for employee in self:
            employee.staffing_allocation_count = counts.get(employee.id, 0)

    def _compute_staffing_load_percent(self):
        today = fields.Date.context_today(self)
        until = today + timedelta(weeks=4, days=-1)
        ids = [employee.id for employee in self if isinstance(employee.id, int)]
        totals = self.env["staffing.ledger"]._get_period_totals(ids, today, until)
        for employee in self:
            capacity, confirmed, _free = totals.get(employee.id, (0.0, 0.0, 0.0))
            employee.staffing_load_percent = (
                100 * confirmed / capacity if capacity > 0 else 0.0
            )

    @api.constrains("staffing_purchase_rate")
    def _check_staffing_purchase_rate(self):
        for employee in self:
            if employee.staffing_purchase_rate < 0:
                raise ValidationError(
                    self.env._(
                        "The purchase rate of %(employee)s cannot be negative.",
                        employee=employee.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_staffing_values(vals)
        employees = super().create(vals_list)
        ledger = self.env["staffing.ledger"]
        ledger._ensure_coverage(dict.fromkeys(employees.ids, ledger._get_window()))
        return employees

    def write(self, vals):
        self._check_staffing_values(vals)
        if "staffing_partner_id" in vals:
            self._check_staffing_partner_change(vals["staffing_partner_id"])
        result = super().write(vals)
        if LEDGER_FIELDS & set(vals):
            self.env["staffing.ledger"]._refresh_consultants(self, rebuild=True)
        return result

    def _check_staffing_values(self, vals):
        if LEDGER_SPAN_FIELDS & set(vals):
            raise UserError(
                self.env._(
                    "The days the staffing ledger holds for a consultant are kept by "
                    "the ledger itself and cannot be written."
                )
            )
        if "is_external" in vals:
            raise UserError(
                self.env._(
                    "Whether a consultant is external follows from their partner "
                    "company: set the partner company instead."
                )
            )
        if "staffing_purchase_rate" in vals:
            self.env["staffing.guard.mixin"]._check_value_bounds(
                self._fields["staffing_purchase_rate"],
                vals["staffing_purchase_rate"],
                self._description,
            )

    def _check_staffing_partner_change(self, partner_id):
        """An approval (or its absence) was given for the consultant as they were."""
        moving = self.filtered(
            lambda e: e.staffing_partner_id.id != (partner_id or False)
        )
        if not moving:
            return
        # sudo: an HR officer may not see the allocations that block the change
        held = (
            self.env["staffing.allocation"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", moving.ids),
                    ("state", "in", ("to_approve", "confirmed")),
                ],
                limit=5,
            )
        )
        if held:
            raise UserError(
                self.env._(
                    "%(employee)s holds confirmed or pending allocations (%(names)s) "
                    "approved for them as they are: ask the PMO to set them back to "
                    "tentative or cancel them before changing the partner company.",
                    employee=held[0].employee_id.name,
                    names=", ".join(held.mapped("display_name")),
                )
            )

    def action_view_staffing_allocations(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "resource_sharing.staffing_allocation_action"
        )
        action["domain"] = [("employee_id", "=", self.id)]
        action["context"] = {"default_employee_id": self.id}
        return action

    def _get_staffing_cost_rate(self):
        """Hourly cost of the consultant: partner purchase rate or internal cost."""
        self.ensure_one()
        # sudo: cost rates are restricted fields, the ranking needs them for everyone
        employee = self.sudo()
        if employee.staffing_partner_id:
            return (
                employee.staffing_purchase_rate
                or employee.staffing_partner_id.staffing_purchase_rate
            )
        return employee.hourly_cost

    def _get_staffing_capacity(self, date_from, date_to):
        """Working hours per local day, calendar minus leave and public holidays.

        :return: {employee_id: {date: hours}}
        """
        result = {employee.id: {} for employee in self}
        # sudo: calendars and leaves are HR data; planners need the hours only
        by_tz = defaultdict(lambda: self.sudo().browse())
        for employee in self.sudo():
            by_tz[employee.tz or "UTC"] |= employee
        for tz_name, employees in by_tz.items():
            tz = pytz.timezone(tz_name)
            start = tz.localize(datetime.combine(date_from, time.min))
            stop = tz.localize(datetime.combine(date_to, time.max))
            per_day = employees._list_work_time_per_day(start, stop)
            for employee in employees:
                result[employee.id] = {
                    day: hours
                    for day, hours in per_day.get(employee.id, [])
                    if date_from <= day <= date_to
                }
        return result
