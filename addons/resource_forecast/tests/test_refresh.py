from odoo.tests import tagged

from .common import ForecastCase, d

START, END = d("2030-03-04"), d("2030-03-15")


@tagged("post_install", "-at_install")
class TestCompanyWindows(ForecastCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_be = cls.env["res.company"].create(
            {"name": "Staffing Belgium", "forecast_horizon_months": 1}
        )
        calendar_be = cls.env["resource.calendar"].create(
            {
                "name": "Belgium 40h",
                "tz": "Europe/Brussels",
                "company_id": cls.company_be.id,
                "attendance_ids": cls._attendances(range(5)),
            }
        )
        cls.bea = cls.env["hr.employee"].create(
            {
                "name": "Bea Brussels",
                "company_id": cls.company_be.id,
                "resource_calendar_id": calendar_be.id,
                "tz": "Europe/Brussels",
            }
        )

    def _last_day(self, employee):
        return max(self.rows(employee, "capacity").mapped("date"))

    def test_each_consultant_in_their_company_window(self):
        """A mixed batch gives each consultant their own company's horizon."""
        for employees in (self.alice | self.bea, self.bea | self.alice):
            self.forecast._refresh(employees, None, None)
            self.assertEqual(self._last_day(self.bea), d("2030-03-15"))
            self.assertEqual(self._last_day(self.alice), d("2031-08-15"))

    def test_rebuild_leaves_other_companies_alone(self):
        """A rebuild rewrites the current company's rows only."""
        alice_ids = self.rows(self.alice).ids
        bea_ids = self.rows(self.bea).ids
        self.assertTrue(alice_ids and bea_ids)
        self.forecast.with_context(
            allowed_company_ids=self.company.ids
        ).action_rebuild_forecast()
        self.assertEqual(self.rows(self.bea).ids, bea_ids)
        self.assertNotEqual(self.rows(self.alice).ids, alice_ids)
        self.assertEqual(len(self.rows(self.alice)), len(alice_ids))
