import math

import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.resource_sharing.tests.attack_table import Attack, AttackRunner

from .common import ForecastCase, d

SNAPSHOT = "staffing.forecast.snapshot"
LINE = "staffing.forecast.line"
START, END = d("2030-03-04"), d("2030-03-15")

# The forecast's rules in the README, by key; every key has rows.
RULES = {
    "forecast": "The forecast follows every change; no caller can defer it.",
    "money": "Cost, revenue and margin of the forecast reach finance only.",
    "history": "A snapshot's figures, names, date and author stay as frozen.",
    "bounds": "Cost rates are finite, non-negative numbers.",
}


def _forecast_follows(case, _result):
    planned = case.sums([("allocation_id", "=", case.last_target.id)], "planned_hours")[
        "planned_hours"
    ]
    case.assertEqual(planned, 20)


def _names_stay_frozen(case, _result):
    lines = case.snapshot.line_ids.filtered(
        lambda line: line.project_id == case.project
    )
    case.assertTrue(lines)
    case.assertEqual(set(lines.mapped("project_name")), {"Brabant ERP"})
    case.assertEqual(set(lines.mapped("employee_name")), {"Alice Expert"})
    case.assertEqual(set(lines.mapped("role_name")), {False})


ATTACKS = (
    Attack(
        "refresh deferred by a context key",
        "forecast",
        "planner",
        "staffing.allocation",
        "write",
        "t_booking",
        {"allocated_hours": 20},
        context={"forecast_defer_refresh": True},
        error=None,
        check=_forecast_follows,
    ),
    Attack(
        "planner reads forecast cost",
        "money",
        "planner",
        LINE,
        "search",
        values=[("cost", ">", 0)],
        error=AccessError,
        message="cost",
    ),
    Attack(
        "planner groups forecast revenue",
        "money",
        "planner",
        LINE,
        "read_group",
        values=([], ["revenue:sum"], ["project_id"]),
        error=AccessError,
        message="revenue",
    ),
    Attack(
        "planner reads frozen margins",
        "money",
        "planner",
        "staffing.forecast.snapshot.line",
        "search",
        values=[("margin", "!=", 0)],
        error=AccessError,
        message="margin",
    ),
    Attack(
        "snapshot dated in the past",
        "history",
        "finance",
        SNAPSHOT,
        "create",
        values={"name": "Backdated", "date": "2001-01-01 00:00:00"},
        message="set by its actions only",
    ),
    Attack(
        "snapshot in another user's name",
        "history",
        "finance",
        SNAPSHOT,
        "create",
        values=lambda t: {"name": "Not mine", "user_id": t.planner.id},
        message="set by its actions only",
    ),
    Attack(
        "snapshot month chosen",
        "history",
        "finance",
        SNAPSHOT,
        "create",
        values={"name": "Shifted", "month": "2001-01-01"},
        message="computed and cannot be written",
    ),
    Attack(
        "snapshot renamed",
        "history",
        "finance",
        SNAPSHOT,
        "write",
        "t_snapshot",
        {"name": "Rewritten"},
        error=(AccessError, UserError),
    ),
    Attack(
        "snapshot deleted",
        "history",
        "finance",
        SNAPSHOT,
        "unlink",
        "t_snapshot",
        error=(AccessError, UserError),
    ),
    Attack(
        "frozen project deleted",
        "history",
        "project_admin",
        "project.project",
        "unlink",
        "t_frozen_project",
        error=psycopg2.IntegrityError,
    ),
    Attack(
        "frozen names renamed",
        "history",
        "project_admin",
        "project.project",
        "write",
        "t_project",
        {"name": "Renamed Project"},
        error=None,
        check=_names_stay_frozen,
    ),
    Attack(
        "forecast row written",
        "history",
        "finance",
        LINE,
        "create",
        values=lambda t: {"employee_id": t.alice.id, "date": "2030-03-04"},
        error=AccessError,
    ),
    Attack(
        "NaN cost rate",
        "bounds",
        "finance",
        "staffing.forecast.rate",
        "create",
        values=lambda t: {
            "employee_id": t.alice.id,
            "date_from": "2030-03-01",
            "rate": math.nan,
        },
        error=ValidationError,
        message="finite",
    ),
    Attack(
        "negative cost rate",
        "bounds",
        "finance",
        "staffing.forecast.rate",
        "create",
        values=lambda t: {
            "employee_id": t.alice.id,
            "date_from": "2030-03-01",
            "rate": -1,
        },
        error=ValidationError,
        message="cannot be negative",
    ),
)


@tagged("post_install", "-at_install")
class TestForecastAttacks(AttackRunner, ForecastCase):
    """Every row of the forecast's attack table, as a real user of its group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project_admin = new_test_user(
            cls.env,
            "rs_project_admin",
            groups="project.group_project_manager",
            name="Project Admin Pat",
        )
        cls.booking(cls, cls.alice, 40, START, END, state="confirmed")
        cls.snapshot = (
            cls.env[SNAPSHOT].with_user(cls.finance).create({"name": "February close"})
        )

    def _run_attack(self, attack):
        self.last_target = None
        with mute_logger("odoo.sql_db"):
            return super()._run_attack(attack)

    def t_booking(self):
        self.last_target = self.booking(self.bob, 40, START, END)
        return self.last_target

    def t_snapshot(self):
        return self.snapshot

    def t_project(self):
        return self.project

    def t_frozen_project(self):
        """A project only a snapshot still refers to."""
        project = self.env["project.project"].create({"name": "Short Pilot"})
        booking = self.booking(self.bob, 8, START, END, project=project)
        self.env[SNAPSHOT].with_user(self.finance).create({"name": "Pilot frozen"})
        booking.unlink()
        return project

    def test_attack_table(self):
        """Every attack of the forecast's table is refused, or its guarantee holds."""
        self.run_attacks(ATTACKS)

    def test_every_rule_is_attacked(self):
        """Each forecast rule has at least one row in the table."""
        self.assertEqual(set(RULES), {attack.rule for attack in ATTACKS})

    def test_snapshot_date_and_author_are_the_servers(self):
        """A snapshot records who took it and when, whatever the caller says."""
        snapshot = self.env[SNAPSHOT].with_user(self.finance).create({"name": "Mine"})
        self.assertEqual(snapshot.user_id, self.finance)
        self.assertEqual(snapshot.date.date(), d("2030-02-15"))
