from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import MONDAY, StaffingCase

FRIDAY = MONDAY + timedelta(days=4)
PROPOSAL = "staffing.proposal"


@tagged("post_install", "-at_install")
class TestOptimizer(StaffingCase):
    """Auto-staff proposals: computed by the optimizer, applied as tentative."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Alice is the only data scientist; both positions want her in week 1
        cls.env["hr.employee.skill"].create(
            {
                "employee_id": cls.alice.id,
                "skill_id": cls.skill_data.id,
                "skill_level_id": cls.level_expert.id,
                "skill_type_id": cls.skill_type.id,
            }
        )
        cls.week_request = cls.env["staffing.request"].create(
            {
                "partner_id": cls.customer.id,
                "project_id": cls.project.id,
                "engagement_manager_id": cls.user.id,
                "date_start": MONDAY,
                "date_end": FRIDAY,
                "line_ids": [
                    Command.create(
                        {"role_id": cls.role_architect.id, "planned_hours": 40.0}
                    ),
                    Command.create(
                        {"role_id": cls.role_scientist.id, "planned_hours": 40.0}
                    ),
                ],
            }
        )
        cls.architect_line, cls.scientist_line = cls.week_request.line_ids
        cls.start_request(cls, cls.week_request)

    def _proposal(self, **values):
        return (
            self.env[PROPOSAL]
            .with_user(self.planner)
            .create(
                {
                    "scope": "positions",
                    "request_line_ids": [
                        Command.set((self.architect_line | self.scientist_line).ids)
                    ],
                    **values,
                }
            )
        )

    def _computed(self, **values):
        proposal = self._proposal(**values)
        proposal.action_compute()
        return proposal

    def _plan(self, proposal):
        return {
            (line.request_line_id, line.employee_id): line.hours
            for line in proposal.line_ids
        }

    def test_optimizer_beats_first_fit_on_the_expert(self):
        """First fit gives Alice to the architect; the proposal staffs both."""
        proposal = self._computed()
        self.assertEqual(proposal.state, "computed")
        plan = self._plan(proposal)
        self.assertEqual(plan.pop((self.scientist_line, self.alice)), 40.0)
        # the architect goes to the next best: Xavier, external but strictly
        # better on skills than Bob
        self.assertEqual(plan, {(self.architect_line, self.xavier): 40.0})
        self.assertEqual(proposal.filled_hours, 80.0)
        self.assertEqual(proposal.greedy_filled_hours, 40.0)
        self.assertGreater(proposal.total_score, proposal.greedy_total_score)
        self.assertIn("Skills:", proposal.line_ids[0].score_breakdown)

    def test_apply_creates_tentative_allocations(self):
        """Applied lines become tentative allocations through the create path."""
        proposal = self._computed()
        proposal.action_apply()
        self.assertEqual(proposal.state, "applied")
        self.assertEqual(proposal.applied_by_id, self.planner)
        allocations = proposal.line_ids.allocation_id
        self.assertEqual(len(allocations), 2)
        self.assertEqual(set(allocations.mapped("state")), {"draft"})
        self.assertEqual(set(proposal.line_ids.mapped("state")), {"applied"})
        self.assertEqual(self.scientist_line.allocated_hours, 40.0)
        self.assertEqual(self.scientist_line.allocation_ids.employee_id, self.alice)

    def test_apply_twice_is_refused(self):
        """A proposal is applied once; the second call is refused."""
        proposal = self._computed()
        proposal.action_apply()
        with self.assertRaisesRegex(UserError, "only a computed proposal"):
            proposal.action_apply()
        self.assertEqual(len(self.scientist_line.allocation_ids), 1)

    def test_stale_line_is_refused_and_others_applied(self):
        """A consultant booked since the compute: that line is refused, not others."""
        proposal = self._computed()
        self.start_request()
        self.allocate(self.alice, 40, line=self.line, date_end=FRIDAY)
        proposal.action_apply()
        alice_line = proposal.line_ids.filtered(
            lambda line: line.employee_id == self.alice
        )
        other_line = proposal.line_ids - alice_line
        self.assertEqual(alice_line.state, "refused")
        self.assertIn("was booked meanwhile", alice_line.refusal_message)
        self.assertFalse(alice_line.allocation_id)
        self.assertEqual(other_line.state, "applied")
        self.assertEqual(other_line.allocation_id.state, "draft")

    def test_unselected_line_is_left_out(self):
        """A line the planner unticks is not applied."""
        proposal = self._computed()
        architect = proposal.line_ids.filtered(
            lambda x: x.request_line_id == self.architect_line
        )
        architect.selected = False
        proposal.action_apply()
        self.assertEqual(architect.state, "proposed")
        self.assertFalse(self.architect_line.allocation_ids)

    def test_position_left_short_gets_advice(self):
        """Hours nobody can take are listed with the earliest feasible start."""
        self.scientist_line.planned_hours = 60.0
        proposal = self._computed()
        self.assertEqual(proposal.filled_hours, 80.0)
        self.assertIn(self.scientist_line.display_name, proposal.unfilled_advice)
        self.assertIn("20.0 h not staffed", proposal.unfilled_advice)
        self.assertEqual(proposal.unfilled_line_ids, self.scientist_line)
        # the planner tells the project from the proposal: the usual wizard
        action = proposal.unfilled_line_ids.with_user(
            self.planner
        ).action_mark_unfillable()
        self.assertEqual(action["res_model"], "staffing.request.line.unfillable")
        self.assertEqual(action["context"]["default_line_id"], self.scientist_line.id)
        with self.assertRaisesRegex(UserError, "set by its actions only"):
            proposal.with_user(self.planner).unfilled_line_ids = [Command.clear()]
        proposal.with_user(self.planner).action_draft()
        self.assertFalse(proposal.unfilled_line_ids)
        self.assertFalse(proposal.unfilled_advice)

    def _alice_tentative_in_week_one(self):
        self.start_request()
        return self.allocate(self.alice, 40, line=self.line, date_end=FRIDAY)

    def test_reshuffle_moves_tentative_work_for_an_escalation(self):
        """Alice's tentative work moves to week 2; the escalation gets week 1."""
        moved = self._alice_tentative_in_week_one()
        self.week_request.priority = "1"
        proposal = self._computed(
            reshuffle=True,
            request_line_ids=[Command.set(self.scientist_line.ids)],
        )
        move = proposal.line_ids.filtered("move_allocation_id")
        self.assertEqual(move.move_allocation_id, moved)
        self.assertEqual(move.from_employee_id, self.alice)
        self.assertEqual(move.employee_id, self.alice)
        self.assertGreater(move.date_start, FRIDAY)
        proposal.action_apply()
        self.assertEqual(move.state, "applied")
        self.assertEqual(moved.state, "draft")
        self.assertGreater(moved.date_start, FRIDAY)
        self.assertEqual(self.scientist_line.allocation_ids.employee_id, self.alice)
        self.assertIn(
            "To staff an escalation",
            self.request.message_ids[0].body,
        )

    def test_reshuffle_never_moves_confirmed_work(self):
        """Confirmed work stays: the escalation is left short instead."""
        booked = self._alice_tentative_in_week_one()
        booked.with_user(self.planner).action_confirm()
        self.week_request.priority = "1"
        proposal = self._computed(
            reshuffle=True,
            request_line_ids=[Command.set(self.scientist_line.ids)],
        )
        self.assertFalse(proposal.line_ids)
        self.assertIn("40.0 h not staffed", proposal.unfilled_advice)

    def test_no_reshuffle_without_the_option(self):
        """Without the option, tentative work is not moved."""
        self._alice_tentative_in_week_one()
        self.week_request.priority = "1"
        proposal = self._computed(
            request_line_ids=[Command.set(self.scientist_line.ids)]
        )
        self.assertFalse(proposal.line_ids)

    def test_large_scope_is_computed_in_background(self):
        """Above the size setting, the compute is a job that tells the planner."""
        self.env["ir.config_parameter"].set_param(
            "resource_sharing.proposal_background_positions", "1"
        )
        proposal = self._proposal()
        with trap_jobs() as trap:
            action = proposal.action_compute()
            self.assertEqual(action["tag"], "display_notification")
            trap.assert_jobs_count(1)
            self.assertEqual(proposal.state, "draft")
            trap.perform_enqueued_jobs()
        self.assertEqual(proposal.state, "computed")
        self.assertEqual(proposal.filled_hours, 80.0)
        self.assertIn("The proposal is ready", proposal.message_ids[0].body)
        self.assertIn(self.planner.partner_id, proposal.message_ids[0].partner_ids)

    def test_empty_scope_is_refused(self):
        """Computing a proposal without positions is refused."""
        proposal = self._proposal(request_line_ids=[Command.clear()])
        with self.assertRaisesRegex(UserError, "the scope is empty"):
            proposal.action_compute()
        self.assertEqual(proposal.state, "draft")

    def test_nothing_to_staff_is_refused(self):
        """A scope whose positions are fully booked has nothing to staff."""
        self.allocate(self.bob, 40, line=self.architect_line)
        self.allocate(self.carol, 40, line=self.scientist_line)
        proposal = self._proposal()
        with self.assertRaisesRegex(UserError, "no position of the scope has hours"):
            proposal.action_compute()

    def test_time_limit_must_be_positive(self):
        """A time limit of 0 is refused with a clear message."""
        with self.assertRaisesRegex(ValidationError, "time limit must be more"):
            self._proposal(time_limit=0.0)
        proposal = self._proposal()
        with self.assertRaisesRegex(ValidationError, "time limit must be more"):
            proposal.time_limit = 0.0

    def test_request_scope(self):
        """A request's open positions form the scope."""
        proposal = self._computed(scope="request", request_id=self.week_request.id)
        self.assertEqual(
            proposal.line_ids.request_line_id,
            self.architect_line | self.scientist_line,
        )

    def test_period_scope(self):
        """Every open position overlapping the period is staffed."""
        proposal = self._computed(scope="period", date_from=MONDAY, date_to=FRIDAY)
        self.assertIn(self.line, proposal.line_ids.request_line_id)
        self.assertEqual(proposal.filled_hours, 120.0)

    def test_state_is_written_by_actions_only(self):
        """A planner cannot write the state or the totals directly."""
        proposal = self._computed()
        with self.assertRaisesRegex(UserError, "set by its actions only"):
            proposal.write({"state": "applied"})
        with self.assertRaisesRegex(UserError, "set by its actions only"):
            proposal.write({"filled_hours": 1000.0})
        with self.assertRaisesRegex(UserError, "set by its actions only"):
            proposal.line_ids[0].write({"hours": 1.0})

    def test_salesperson_cannot_use_proposals(self):
        """Proposals are for planners: a salesperson has no access."""
        with self.assertRaises(AccessError):
            self.env[PROPOSAL].with_user(self.user).create({"scope": "positions"})

    def test_back_to_draft_and_cancel(self):
        """A computed proposal goes back to draft without lines, then is cancelled."""
        proposal = self._computed()
        proposal.action_draft()
        self.assertEqual(proposal.state, "draft")
        self.assertFalse(proposal.line_ids)
        proposal.action_cancel()
        self.assertEqual(proposal.state, "cancelled")
        with self.assertRaisesRegex(UserError, "cannot be computed again"):
            proposal.action_compute()

    # ------------------------------------------------------------ display

    def test_lines_carry_score_parts(self):
        """Each proposed line keeps its score's parts, rates shown to planners."""
        proposal = self._computed()
        for line in proposal.line_ids:
            parts = {part["key"]: part for part in line.score_parts}
            self.assertEqual(
                list(parts),
                ["skills", "availability", "internal", "bench", "customer", "margin"],
            )
            self.assertEqual(
                round(sum(p["points"] for p in parts.values()), 1), line.score
            )
            self.assertIn(parts["skills"]["detail"], line.score_breakdown)
            self.assertIn("/h sold", parts["margin"]["detail"])
        with self.assertRaisesRegex(UserError, "set by its actions only"):
            proposal.line_ids[0].write({"score_parts": []})

    def test_timeline_of_the_proposal(self):
        """The proposal opens its lines on a timeline coloured by kind and state."""
        proposal = self._computed()
        action = proposal.action_open_timeline()
        self.assertEqual(action["res_model"], "staffing.proposal.line")
        self.assertEqual(action["domain"], [("proposal_id", "=", proposal.id)])
        self.assertEqual(action["view_mode"].split(",")[0], "timeline")
        self.assertEqual(action["display_name"], f"Timeline of {proposal.name}")
        views = (
            self.env["staffing.proposal.line"]
            .with_user(self.planner)
            .get_views([(False, "timeline"), (False, "search")])
        )
        arch = views["views"]["timeline"]["arch"]
        self.assertIn('date_stop="timeline_date_stop"', arch)
        self.assertIn('default_group_by="employee_id"', arch)
        self.assertIn("kind == 'escalation'", arch)
        self.assertIn("state == 'refused'", arch)
        fields = views["models"]["staffing.proposal.line"]["fields"]
        for name in ("kind", "state", "selected", "timeline_date_stop"):
            self.assertIn(name, fields)
        lines = self.env["staffing.proposal.line"].with_user(self.planner)
        lines = lines.search(action["domain"])
        self.assertEqual(lines, proposal.line_ids)
        self.assertEqual(set(lines.mapped("kind")), {"assignment"})
        for line in lines:
            self.assertEqual(line.timeline_date_stop, line.date_end + timedelta(1))

    def test_escalation_and_move_kinds(self):
        """Lines of an escalated request and knock-on moves are told apart."""
        self._alice_tentative_in_week_one()
        self.week_request.priority = "1"
        proposal = self._computed(
            reshuffle=True,
            request_line_ids=[Command.set(self.scientist_line.ids)],
        )
        kinds = {line.request_line_id: line.kind for line in proposal.line_ids}
        self.assertEqual(kinds, {self.scientist_line: "escalation", self.line: "move"})

    def test_applied_allocations_are_marked_proposed(self):
        """Allocations made or moved by a proposal show it while tentative."""
        moved = self._alice_tentative_in_week_one()
        self.assertFalse(moved.is_proposed)
        self.week_request.priority = "1"
        proposal = self._computed(
            reshuffle=True,
            request_line_ids=[Command.set(self.scientist_line.ids)],
        )
        proposal.action_apply()
        allocations = proposal.line_ids.allocation_id
        self.assertEqual(len(allocations), 2)
        self.assertIn(moved, allocations)
        self.assertEqual(allocations.mapped("is_proposed"), [True, True])
        found = (
            self.env["staffing.allocation"]
            .with_user(self.planner)
            .search([("is_proposed", "=", True)])
        )
        self.assertEqual(found, allocations)
        moved.with_user(self.planner).action_confirm()
        self.assertFalse(moved.is_proposed)
        with self.assertRaisesRegex(UserError, "computed and cannot be written"):
            (allocations - moved).with_user(self.planner).write({"is_proposed": False})
        arch = (
            self.env["staffing.allocation"]
            .with_user(self.planner)
            .get_views([(False, "timeline")])["views"]["timeline"]["arch"]
        )
        self.assertIn("is_proposed == True", arch)

    def test_manual_allocation_is_not_proposed(self):
        """An allocation the planner makes by hand is not marked as proposed."""
        self.assertFalse(self._alice_tentative_in_week_one().is_proposed)
        with self.assertRaisesRegex(UserError, "computed and cannot be written"):
            self.allocate(self.bob, 8, is_proposed=True)
