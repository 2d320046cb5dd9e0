"""Turn capacity, bookings and timesheets into forecast rows (plain tuples).

A row is a dict of column values; the Odoo side inserts them in bulk. Capacity
rows carry no project, so a consultant's capacity is counted once per day
however many projects they work on; planned and actual rows carry no capacity,
so every grouping adds up.

A consultant lent by a sister company has rows in two companies: capacity in
their own, planned hours (at the intercompany rate) in the borrowing one, and
"lent" rows in their own company with the hours lent out, the intercompany
revenue and their internal cost. Lent hours are a measure of their own, so no
plan is counted twice when both companies are read together.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Booking:
    """The per-day hours of one allocation, and what the forecast needs of it."""

    employee_key: int
    project_key: int
    partner_key: int | None
    role_key: int | None
    confirmed: bool
    cost_rate: float
    sold_rate: float
    hours_by_day: Mapping[date, float]
    allocation_key: int | None = None
    # the allocation's (borrowing) company; None: the consultant's
    company_key: int | None = None
    # set when a sister company lends the consultant: its rows and cost
    lending_company_key: int | None = None
    internal_cost_rate: float = 0.0


def capacity_rows(employee_key: int, capacity: Mapping[date, float]) -> list[dict]:
    """One row per working day of the consultant."""
    return [
        {
            "employee_id": employee_key,
            "date": day,
            "line_type": "capacity",
            "capacity_hours": hours,
        }
        for day, hours in sorted(capacity.items())
        if hours
    ]


def _booked_days(booking: Booking, date_from: date, date_to: date):
    """(day, hours) of the booking's days with hours inside the window."""
    for day, hours in sorted(booking.hours_by_day.items()):
        if date_from <= day <= date_to and hours:
            yield day, hours


def planned_rows(booking: Booking, date_from: date, date_to: date) -> list[dict]:
    """One row per day of the booking inside the window, at the booking's rates."""
    rows = []
    for day, hours in _booked_days(booking, date_from, date_to):
        cost = hours * booking.cost_rate
        revenue = hours * booking.sold_rate
        rows.append(
            {
                "employee_id": booking.employee_key,
                "project_id": booking.project_key,
                "partner_id": booking.partner_key,
                "role_id": booking.role_key,
                "allocation_id": booking.allocation_key,
                "company_id": booking.company_key,
                "lending_company_id": booking.lending_company_key,
                "date": day,
                "line_type": "planned",
                "state": "confirmed" if booking.confirmed else "tentative",
                "planned_hours": hours,
                "planned_confirmed_hours": hours if booking.confirmed else 0.0,
                "planned_tentative_hours": 0.0 if booking.confirmed else hours,
                "logged_variance_hours": -hours if booking.confirmed else 0.0,
                "cost": round(cost, 4),
                "revenue": round(revenue, 4),
                "margin": round(revenue - cost, 4),
            }
        )
    return rows


def lent_rows(booking: Booking, date_from: date, date_to: date) -> list[dict]:
    """The lending company's rows of a loan: hours lent out, at what they earn.

    Revenue is the intercompany rate the borrower pays (the booking's cost
    rate), cost the consultant's internal rate. Empty for a booking of the
    consultant's own company.
    """
    if not booking.lending_company_key:
        return []
    rows = []
    for day, hours in _booked_days(booking, date_from, date_to):
        revenue = hours * booking.cost_rate
        cost = hours * booking.internal_cost_rate
        rows.append(
            {
                "employee_id": booking.employee_key,
                "role_id": booking.role_key,
                "allocation_id": booking.allocation_key,
                "company_id": booking.lending_company_key,
                "borrowing_company_id": booking.company_key,
                "date": day,
                "line_type": "lent",
                "state": "confirmed" if booking.confirmed else "tentative",
                "lent_hours": hours,
                "cost": round(cost, 4),
                "revenue": round(revenue, 4),
                "margin": round(revenue - cost, 4),
            }
        )
    return rows


def actual_rows(
    timesheets: Iterable[
        tuple[int, int, int | None, int | None, date, float, float, float, int | None]
    ],
) -> list[dict]:
    """Rows of logged hours.

    Each timesheet fact is (employee, project, partner, role, day, hours, cost,
    sold rate, company): the cost is the one the timesheets carry (for a
    borrowed consultant, the hours at the intercompany rate), the revenue the
    hours at the sold rate of the booking that covers the day, the company the
    booking's (None: the consultant's).
    """
    rows = []
    for (
        employee,
        project,
        partner,
        role,
        day,
        hours,
        cost,
        sold_rate,
        company,
    ) in timesheets:
        rows.append(
            {
                "employee_id": employee,
                "company_id": company,
                "project_id": project,
                "partner_id": partner,
                "role_id": role,
                "date": day,
                "line_type": "actual",
                "actual_hours": hours,
                "logged_variance_hours": hours,
                "actual_cost": round(cost, 4),
                "actual_revenue": round(hours * sold_rate, 4),
            }
        )
    return rows
