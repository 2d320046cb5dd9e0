from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import FRIDAY_NEXT, MONDAY, StaffingCase


@tagged("post_install", "-at_install")
class TestLoadCheck(StaffingCase):
    def _booking(self, employee, hours, start=MONDAY, end=FRIDAY_NEXT):
        return self.env["staffing.allocation"].create(
            {
                "employee_id": employee.id,
                "project_id": self.project.id,
                "date_start": start,
                "date_end": end,
                "allocated_hours": hours,
            }
        )

    def test_capacity_follows_calendar(self):
        """Capacity is the calendar per day: 8 h on weekdays, none at weekends."""
        capacity = self.alice._get_staffing_capacity(MONDAY, FRIDAY_NEXT)[self.alice.id]
        self.assertEqual(len(capacity), 10)
        self.assertEqual(sum(capacity.values()), 80)
        self.assertNotIn(date(2030, 3, 9), capacity)

    def test_three_overlapping_forty_percent(self):
        """Two 40 % bookings fit; a third is shown when tentative, refused confirmed."""
        first, second, third = (self._booking(self.alice, 32) for _ in range(3))
        (first | second).with_user(self.planner).action_confirm()
        self.assertTrue(third.is_overloaded)
        self.assertIn("Over capacity on 10 day(s)", third.overload_info)
        self.assertTrue(first.is_overloaded, "tentative load is shown on all")
        with self.assertRaises(ValidationError) as error:
            third.with_user(self.planner).action_confirm()
        message = str(error.exception)
        self.assertIn("over capacity", message)
        self.assertIn("9.6 h for 8.0 h", message)
        self.assertIn("Alice Expert on Brabant ERP", message)
        self.assertIn("and 5 more days", message)
        self.assertEqual(third.state, "draft")

    def test_tolerance_allows_overload(self):
        """The company tolerance lets a confirmed booking go that far over."""
        self.company.staffing_overload_tolerance = 25
        bookings = (
            self._booking(self.alice, 32)
            | self._booking(self.alice, 32)
            | self._booking(self.alice, 32)
        )
        bookings.with_user(self.planner).action_confirm()
        self.assertEqual(set(bookings.mapped("state")), {"confirmed"})

    def test_more_than_capacity_refused(self):
        """A confirmed allocation above the consultant's capacity is refused."""
        booking = self._booking(self.bob, 81)
        with self.assertRaisesRegex(ValidationError, "over capacity"):
            booking.with_user(self.planner).action_confirm()
        self.assertEqual(booking.state, "draft")

    def test_tentative_overload_is_only_shown(self):
        """A tentative over-allocation is saved and found by the filter."""
        booking = self._booking(self.bob, 200)
        self.assertEqual(booking.state, "draft")
        with freeze_time("2030-01-01"):
            found = self.env["staffing.allocation"].search(
                [("is_overloaded", "=", True)]
            )
        self.assertIn(booking, found)

    def test_leave_reduces_capacity(self):
        """Leave of the consultant lowers capacity and is checked on confirm."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "resource_id": self.bob.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": datetime(2030, 3, 4, 0, 0),
                "date_to": datetime(2030, 3, 8, 22, 0),
            }
        )
        capacity = self.bob._get_staffing_capacity(MONDAY, FRIDAY_NEXT)[self.bob.id]
        self.assertEqual(sum(capacity.values()), 40)
        booking = self._booking(self.bob, 41)
        with self.assertRaisesRegex(ValidationError, "over capacity"):
            booking.with_user(self.planner).action_confirm()
        booking.allocated_hours = 40
        booking.with_user(self.planner).action_confirm()
        self.assertEqual(booking.state, "confirmed")

    def test_public_holiday_reduces_capacity(self):
        """A company-wide holiday on the calendar removes that day."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2030, 3, 5, 0, 0),
                "date_to": datetime(2030, 3, 5, 22, 0),
            }
        )
        capacity = self.carol._get_staffing_capacity(MONDAY, FRIDAY_NEXT)[self.carol.id]
        self.assertNotIn(date(2030, 3, 5), capacity)
        self.assertEqual(sum(capacity.values()), 72)

    def test_part_time_consultant(self):
        """A 4-day week gives 32 h; hours spread over those days only."""
        self.carol.resource_calendar_id = self.calendar_part_time
        week_end = date(2030, 3, 8)
        booking = self._booking(self.carol, 32, end=week_end)
        booking.with_user(self.planner).action_confirm()
        self.assertEqual(booking.hours_per_day, 8)
        extra = self._booking(self.carol, 1, end=week_end)
        with self.assertRaisesRegex(ValidationError, "over capacity"):
            extra.with_user(self.planner).action_confirm()

    def test_moving_confirmed_allocation_is_checked(self):
        """Changing the dates of a confirmed allocation re-runs the check."""
        first = self._booking(self.alice, 40, end=date(2030, 3, 8))
        second = self._booking(self.alice, 40, start=date(2030, 3, 11))
        (first | second).with_user(self.planner).action_confirm()
        with self.assertRaisesRegex(ValidationError, "over capacity"):
            second.with_user(self.planner).write({"date_start": MONDAY})
        self.assertEqual(second.date_start, date(2030, 3, 11))
