from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import FRIDAY_NEXT, MONDAY, StaffingCase


@tagged("post_install", "-at_install")
class TestCandidates(StaffingCase):
    def _scores(self, line=None):
        return {
            c["employee_id"]: c for c in (line or self.line).get_candidates(limit=10)
        }

    def test_ranking_order_and_scores(self):
        """Skills, availability, internal and margin give a known order."""
        candidates = self.line.get_candidates(limit=10)
        self.assertEqual(
            [c["employee_id"] for c in candidates],
            [self.alice.id, self.xavier.id, self.bob.id],
        )
        self.assertEqual([c["score"] for c in candidates], [92.9, 82.5, 78.2])
        self.assertEqual(candidates[0]["available_hours"], 80)
        self.assertFalse(candidates[0]["is_external"])
        self.assertTrue(candidates[1]["is_external"])

    def test_mandatory_skill_excludes(self):
        """A consultant below a mandatory level is never proposed."""
        self.assertNotIn(self.carol.id, self._scores())

    def test_breakdown_is_readable(self):
        """Each candidate explains the score part by part."""
        bob = self._scores()[self.bob.id]
        self.assertIn("Skills: 15.0 of 30", bob["breakdown"])
        self.assertIn("0% of preferred skills", bob["breakdown"])
        self.assertIn(
            "Availability: 40.0 of 40 (80.0 h free of 40.0 h", bob["breakdown"]
        )
        self.assertIn("cost 50.00/h against 140.00/h sold", bob["breakdown"])
        self.assertEqual(
            round(sum(part["points"] for part in bob["parts"]), 1), bob["score"]
        )

    def test_internal_before_equal_external(self):
        """With the same skills and time, the internal consultant ranks first."""
        scores = self._scores()
        self.assertGreater(
            scores[self.alice.id]["score"], scores[self.xavier.id]["score"]
        )

    def test_bench_and_customer(self):
        """Busy consultants lose the bench boost; knowing the customer adds."""
        other = self.env["project.project"].create({"name": "Other"})
        self.env["staffing.allocation"].create(
            {
                "employee_id": self.bob.id,
                "project_id": other.id,
                "date_start": MONDAY,
                "date_end": FRIDAY_NEXT,
                "allocated_hours": 40,
            }
        ).action_confirm()
        self.env["account.analytic.line"].create(
            {
                "name": "Earlier work",
                "project_id": self.project.id,
                "employee_id": self.bob.id,
                "date": date(2029, 11, 5),
                "unit_amount": 4,
            }
        )
        parts = {p["key"]: p for p in self._scores()[self.bob.id]["parts"]}
        self.assertEqual(parts["bench"]["points"], 0)
        self.assertEqual(parts["customer"]["points"], 5)
        self.assertEqual(parts["availability"]["values"]["available"], 40)

    def test_limit_and_bad_limit(self):
        """The limit caps the list; a limit below one is refused."""
        self.assertEqual(len(self.line.get_candidates(limit=1)), 1)
        with self.assertRaises(UserError):
            self.line.get_candidates(limit=0)

    def test_find_candidates_and_allocate(self):
        """The planner finds candidates and allocates one in a click."""
        self.request.action_submit()
        self.request.with_user(self.planner).action_start()
        action = self.line.with_user(self.planner).action_find_candidates()
        search = self.env["staffing.candidate.search"].browse(action["res_id"])
        self.assertEqual(search.candidate_ids[0].employee_id, self.alice)
        result = search.candidate_ids[0].with_user(self.planner).action_allocate()
        allocation = self.env["staffing.allocation"].browse(result["res_id"])
        self.assertEqual(allocation.employee_id, self.alice)
        self.assertEqual(allocation.allocated_hours, 40)
        self.assertEqual(allocation.date_start, MONDAY)
        self.assertEqual(allocation.state, "draft")
        self.assertEqual(self.line.remaining_hours, 0)

    def test_role_onchange_fills_skills(self):
        """Choosing a role on a new position proposes its skills and rate."""
        with Form(self.request) as form:
            with form.line_ids.new() as line:
                line.role_id = self.role_scientist
                line.planned_hours = 8
                self.assertEqual(line.sold_rate, 120)
        self.assertEqual(
            self.request.line_ids[-1].skill_requirement_ids.skill_id, self.skill_data
        )


@tagged("post_install", "-at_install")
class TestEarliestFeasibleDate(StaffingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carol.employee_skill_ids = [
            Command.create(
                {
                    "skill_id": cls.skill_data.id,
                    "skill_level_id": cls.level_expert.id,
                    "skill_type_id": cls.skill_type.id,
                }
            )
        ]
        cls.scientist_line = cls.env["staffing.request.line"].create(
            {
                "request_id": cls.request.id,
                "role_id": cls.role_scientist.id,
                "planned_hours": 40,
            }
        )
        cls.env["staffing.allocation"].create(
            {
                "employee_id": cls.carol.id,
                "project_id": cls.project.id,
                "date_start": MONDAY,
                "date_end": FRIDAY_NEXT,
                "allocated_hours": 80,
            }
        ).action_confirm()
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Carol on leave",
                "resource_id": cls.carol.resource_id.id,
                "calendar_id": cls.calendar.id,
                "date_from": datetime(2030, 3, 18, 0, 0),
                "date_to": datetime(2030, 3, 22, 22, 0),
            }
        )

    @freeze_time("2030-02-01")
    def test_leave_pushes_the_date(self):
        """Full bookings and a leave push the feasible date out."""
        self.assertEqual(self.scientist_line.get_earliest_feasible_date(), "2030-03-18")

    @freeze_time("2030-02-01")
    def test_public_holiday_pushes_further(self):
        """A public holiday costs a day more."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Easter Monday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2030, 3, 25, 0, 0),
                "date_to": datetime(2030, 3, 25, 22, 0),
            }
        )
        self.assertEqual(self.scientist_line.get_earliest_feasible_date(), "2030-03-21")

    @freeze_time("2030-02-01")
    def test_nobody_within_horizon(self):
        """Beyond the planning horizon the answer is False."""
        self.env["ir.config_parameter"].set_param(
            "resource_sharing.planning_horizon_days", 10
        )
        self.assertFalse(self.scientist_line.get_earliest_feasible_date())

    @freeze_time("2030-02-01")
    def test_nobody_has_the_skills(self):
        """Without anyone meeting the mandatory skills there is no date."""
        self.carol.employee_skill_ids.filtered(
            lambda s: s.skill_id == self.skill_data
        ).unlink()
        self.assertFalse(self.scientist_line.get_earliest_feasible_date())
