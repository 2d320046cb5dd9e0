from collections import defaultdict

from odoo import models

from ..engine.rates import RateSchedule


class StaffingAllocation(models.Model):
    _name = "staffing.allocation"
    _inherit = ["staffing.allocation", "staffing.forecast.source.mixin"]

    _forecast_fields = frozenset(
        {
            "employee_id",
            "project_id",
            "request_line_id",
            "role_id",
            "date_start",
            "date_end",
            "allocated_hours",
            "state",
            "cost_rate",
            "sold_rate",
        }
    )

    def _compute_rates(self):
        """Default the cost rate to the consultant's rate valid at the start.

        The effective-dated cost rates only give the default: once computed,
        the allocation's rate is the one the forecast and the approval use, and
        a planner may still change it. Without a dated rate, the consultant's
        cost (or the partner's purchase rate) applies, as in resource_sharing.
        A consultant lent by a sister company costs the agreement's
        intercompany rate instead.
        """
        result = super()._compute_rates()
        own = self.filtered(lambda a: not a.sharing_agreement_id)
        schedules = own._get_cost_rate_schedules()
        for allocation in own:
            employee = allocation.employee_id._origin
            if employee and allocation.date_start:
                allocation.cost_rate = schedules[employee.id].rate_on(
                    allocation.date_start
                )
        return result

    def _get_cost_rate_schedules(self):
        """{employee_id: RateSchedule} of the allocations' consultants."""
        # sudo: a lent consultant's company may be one the user is not in
        employees = self.employee_id._origin.sudo()
        steps = defaultdict(list)
        # sudo: cost rates are finance data; the allocation's default needs them
        rates = (
            self.env["staffing.forecast.rate"]
            .sudo()
            .search([("employee_id", "in", employees.ids)])
        )
        for rate in rates:
            steps[rate.employee_id.id].append((rate.date_from, rate.rate))
        return {
            employee.id: RateSchedule(
                steps[employee.id], default=employee._get_staffing_cost_rate()
            )
            for employee in employees
        }

    def _get_forecast_ranges(self):
        return [
            (allocation.employee_id, allocation.date_start, allocation.date_end)
            for allocation in self
            if allocation.employee_id and allocation.date_start and allocation.date_end
        ]
