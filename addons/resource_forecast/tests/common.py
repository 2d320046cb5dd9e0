from datetime import date

from freezegun import freeze_time

from odoo.addons.resource_sharing.tests.common import StaffingCase

TODAY = "2030-02-15"


class ForecastCase(StaffingCase):
    """The resource_sharing fixture, seen from finance, on a frozen day."""

    @classmethod
    def setUpClass(cls):
        cls.startClassPatcher(freeze_time(TODAY))
        super().setUpClass()
        cls.finance = cls._finance_user("rs_finance")
        cls.alice.hourly_cost = 60.0
        cls.bob.hourly_cost = 50.0
        cls.forecast = cls.env["staffing.forecast.line"]

    @classmethod
    def _finance_user(cls, login):
        from odoo.tests import new_test_user

        return new_test_user(
            cls.env, login, groups="resource_forecast.group_finance", name="Finance Fay"
        )

    def booking(self, employee, hours, start, end, project=None, state="draft", **vals):
        allocation = self.env["staffing.allocation"].create(
            {
                "employee_id": employee.id,
                "project_id": (project or self.project).id,
                "date_start": start,
                "date_end": end,
                "allocated_hours": hours,
                **vals,
            }
        )
        if state == "confirmed":
            allocation.action_confirm()
        return allocation

    def sums(self, domain, *measures):
        groups = self.forecast._read_group(domain, [], [f"{m}:sum" for m in measures])
        return {m: round(v, 2) for m, v in zip(measures, groups[0], strict=True)}

    def rows(self, employee, line_type=None, day=None):
        domain = [("employee_id", "=", employee.id)]
        if line_type:
            domain.append(("line_type", "=", line_type))
        if day:
            domain.append(("date", "=", day))
        return self.forecast.search(domain)


def d(text):
    return date.fromisoformat(text)
