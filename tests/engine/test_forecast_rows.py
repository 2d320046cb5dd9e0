"""Tests for the forecast's rows of a booking, own and lent."""

from datetime import date

from resource_forecast_engine import rows

MON = date(2026, 3, 2)
TUE = date(2026, 3, 3)
WED = date(2026, 3, 4)
WINDOW = (date(2026, 1, 1), date(2026, 12, 31))


def _booking(**overrides):
    values = {
        "employee_key": 7,
        "project_key": 3,
        "partner_key": 4,
        "role_key": 5,
        "confirmed": True,
        "cost_rate": 95.0,
        "sold_rate": 140.0,
        "hours_by_day": {MON: 8.0, TUE: 4.0, WED: 0.0},
        "allocation_key": 11,
        "company_key": 1,
    }
    values.update(overrides)
    return rows.Booking(**values)


def test_planned_rows_carry_the_booking_company_and_money():
    planned = rows.planned_rows(_booking(), *WINDOW)
    assert [(row["date"], row["planned_hours"]) for row in planned] == [
        (MON, 8.0),
        (TUE, 4.0),
    ]
    assert {row["company_id"] for row in planned} == {1}
    assert sum(row["cost"] for row in planned) == 12 * 95.0
    assert sum(row["revenue"] for row in planned) == 12 * 140.0
    assert all(row["lending_company_id"] is None for row in planned)


def test_own_booking_has_no_lent_rows():
    assert rows.lent_rows(_booking(), *WINDOW) == []


def test_lent_booking_has_rows_on_both_sides():
    booking = _booking(lending_company_key=2, internal_cost_rate=55.0)
    planned = rows.planned_rows(booking, *WINDOW)
    lent = rows.lent_rows(booking, *WINDOW)
    assert {row["lending_company_id"] for row in planned} == {2}
    assert {row["company_id"] for row in lent} == {2}
    assert {row["borrowing_company_id"] for row in lent} == {1}
    assert sum(row["lent_hours"] for row in lent) == 12.0
    # the intercompany rate is the borrower's cost and the lender's revenue
    assert sum(row["revenue"] for row in lent) == 12 * 95.0
    assert sum(row["cost"] for row in lent) == 12 * 55.0
    assert sum(row["margin"] for row in lent) == 12 * 40.0
    # a lent row never counts as planned hours of the lender
    assert all("planned_hours" not in row for row in lent)


def test_lent_rows_stay_inside_the_window_and_keep_the_plan_status():
    booking = _booking(lending_company_key=2, internal_cost_rate=55.0, confirmed=False)
    lent = rows.lent_rows(booking, MON, MON)
    assert [(row["date"], row["state"]) for row in lent] == [(MON, "tentative")]
