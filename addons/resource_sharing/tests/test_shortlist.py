from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import StaffingCase

ENTRY = "staffing.shortlist.entry"
REVIEW_ACTIVITY = "resource_sharing.mail_activity_type_shortlist_review"
ACTIONS_ONLY = "set by its actions only"


@tagged("post_install", "-at_install")
class TestShortlist(StaffingCase):
    """Shortlist a position, have the architect endorse one, allocate with it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.architect = new_test_user(
            cls.env,
            "rs_architect",
            groups="resource_sharing.group_user",
            name="Architect Tom",
        )
        cls.request.technical_architect_id = cls.architect
        cls.request.action_submit()
        cls.request.with_user(cls.planner).action_start()

    def shortlist(self, *employees):
        return (
            self.env[ENTRY]
            .with_user(self.planner)
            .create(
                [
                    {"request_line_id": self.line.id, "employee_id": employee.id}
                    for employee in employees
                ]
            )
        )

    def ask_review(self):
        self.line.with_user(self.planner).action_request_review()

    def endorse(self, entry, comment, user=None):
        user = user or self.architect
        action = entry.with_user(user).action_open_endorse()
        form = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        form.comment = comment
        form.save().action_endorse()

    def allocate_from(self, entry):
        action = entry.with_user(self.planner).action_allocate()
        return self.env[action["res_model"]].browse(action["res_id"])

    def review_activities(self):
        activity_type = self.env.ref(REVIEW_ACTIVITY)
        return self.line.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )

    # shortlist ----------------------------------------------------------------

    def test_add_from_candidates_dialog(self):
        """The dialog's button shortlists a candidate with their frozen score."""
        action = self.line.with_user(self.planner).action_find_candidates()
        search = self.env[action["res_model"]].with_user(self.planner)
        search = search.browse(action["res_id"])
        for employee in (self.alice, self.xavier):
            candidate = search.candidate_ids.filtered(
                lambda c, e=employee: c.employee_id == e
            )
            candidate.action_add_to_shortlist()
            self.assertTrue(candidate.is_shortlisted)
        ranked = {
            c["employee_id"]: c
            for c in self.line.with_user(self.planner).get_candidates()
        }
        entries = self.line.shortlist_entry_ids
        self.assertEqual(entries.employee_id, self.alice | self.xavier)
        for entry in entries:
            self.assertEqual(entry.score, ranked[entry.employee_id.id]["score"])
            self.assertIn("rates hidden", entry.score_breakdown)
        by_employee = {entry.employee_id: entry for entry in entries}
        self.assertEqual(by_employee[self.alice].origin, "home")
        self.assertEqual(by_employee[self.xavier].origin, "partner")
        self.assertFalse(entries.filtered("endorsed"))

    def test_sister_company_origin(self):
        """An internal consultant of another company of the group is a sister."""
        entry = self.shortlist(self.bob)
        self.assertEqual(entry.origin, "home")
        sister = self.env["res.company"].create({"name": "Staffing Belgium"})
        self.calendar.company_id = False
        self.bob.company_id = sister
        self.assertEqual(entry.origin, "sister")

    def test_consultant_once_per_position(self):
        """The same consultant cannot be shortlisted twice for a position."""
        self.shortlist(self.alice)
        with self.assertRaisesRegex(ValidationError, "already on the shortlist"):
            self.shortlist(self.alice)
        with self.assertRaisesRegex(ValidationError, "already on the shortlist"):
            self.shortlist(self.bob, self.bob)
        self.assertEqual(self.line.shortlist_entry_ids.employee_id, self.alice)

    def test_misfit_refused(self):
        """A consultant without the mandatory skills is no candidate to shortlist."""
        with self.assertRaisesRegex(ValidationError, "no candidate"):
            self.shortlist(self.carol)
        self.assertFalse(self.line.shortlist_entry_ids)

    def test_remove_entries(self):
        """Planners remove entries until one is endorsed or allocated."""
        alice, xavier, bob = self.shortlist(self.alice, self.xavier, self.bob)
        with self.assertRaises(AccessError):
            bob.with_user(self.user).unlink()
        bob.with_user(self.planner).unlink()
        self.ask_review()
        self.endorse(xavier, "Best fit")
        with self.assertRaisesRegex(UserError, "stays on the shortlist"):
            xavier.with_user(self.planner).unlink()
        self.allocate_from(alice)
        with self.assertRaisesRegex(UserError, "stays on the shortlist"):
            alice.with_user(self.planner).unlink()
        self.assertEqual(self.line.shortlist_entry_ids, alice | xavier)

    def test_allocate_from_shortlist(self):
        """Allocate on an entry books the consultant as tentative on the position."""
        (alice,) = self.shortlist(self.alice)
        with self.assertRaisesRegex(UserError, "Only PMO planners"):
            alice.with_user(self.user).action_allocate()
        allocation = self.allocate_from(alice)
        self.assertEqual(allocation.employee_id, self.alice)
        self.assertEqual(allocation.request_line_id, self.line)
        self.assertEqual(allocation.state, "draft")
        self.assertEqual(allocation.allocated_hours, 40)

    def test_position_with_shortlist_kept(self):
        """A position with a shortlist is not deleted under it."""
        request = self.request.copy()
        line = request.line_ids
        self.env[ENTRY].create({"request_line_id": line.id, "employee_id": self.bob.id})
        with self.assertRaisesRegex(UserError, "has a shortlist"):
            line.with_user(self.planner).unlink()
        with self.assertRaisesRegex(UserError, "has a shortlist"):
            request.with_user(self.planner).unlink()
        self.assertTrue(line.exists())

    # review -------------------------------------------------------------------

    def test_ask_review(self):
        """Asking a review gives the architect a to-do listing the shortlist."""
        self.shortlist(self.alice, self.xavier)
        self.ask_review()
        self.assertEqual(self.line.review_state, "asked")
        self.assertEqual(self.line.review_requested_by_id, self.planner)
        self.assertTrue(self.line.review_request_date)
        activity = self.review_activities()
        self.assertEqual(activity.user_id, self.architect)
        self.assertIn("Alice Expert (Home Company)", activity.note)
        self.assertIn("Xavier External (Partner Company)", activity.note)
        self.assertIn("asked to Architect Tom", self.line.message_ids[0].body)

    def test_ask_review_refusals(self):
        """No review without planner, architect, shortlist, or from the architect."""
        with self.assertRaisesRegex(UserError, "is empty"):
            self.ask_review()
        self.shortlist(self.alice)
        with self.assertRaisesRegex(UserError, "Only PMO planners"):
            self.line.with_user(self.user).action_request_review()
        self.request.technical_architect_id = False
        with self.assertRaisesRegex(UserError, "no technical architect"):
            self.ask_review()
        self.request.technical_architect_id = self.planner
        with self.assertRaisesRegex(UserError, "another architect must review"):
            self.ask_review()
        self.request.technical_architect_id = self.employee_user
        with self.assertRaisesRegex(UserError, "Staffing User group"):
            self.ask_review()
        self.assertEqual(self.line.review_state, "none")
        self.assertFalse(self.review_activities())
        self.request.technical_architect_id = self.architect
        self.ask_review()
        with self.assertRaisesRegex(UserError, "already waits"):
            self.ask_review()

    def test_architect_endorses(self):
        """The architect endorses one consultant; the planner who asked is told."""
        alice, xavier = self.shortlist(self.alice, self.xavier)
        self.ask_review()
        self.endorse(xavier, "The only S/4 migration expert free in March")
        self.assertTrue(xavier.endorsed)
        self.assertEqual(
            xavier.endorsement_comment, "The only S/4 migration expert free in March"
        )
        self.assertEqual(xavier.endorsed_by_id, self.architect)
        self.assertTrue(xavier.endorsed_date)
        self.assertFalse(alice.endorsed)
        self.assertEqual(self.line.review_state, "endorsed")
        self.assertFalse(self.review_activities())
        message = self.line.message_ids[0]
        self.assertIn(self.planner.partner_id, message.partner_ids)
        self.assertIn("Architect Tom endorsed Xavier External", message.body)
        self.assertIn("S/4 migration expert", message.body)

    def test_second_endorsement_replaces_first(self):
        """A new endorsement clears the earlier one; the chatter keeps both."""
        alice, xavier = self.shortlist(self.alice, self.xavier)
        self.ask_review()
        self.endorse(alice, "Knows the customer")
        self.endorse(xavier, "Deeper SAP experience")
        self.assertFalse(alice.endorsed)
        self.assertFalse(alice.endorsement_comment)
        self.assertFalse(alice.endorsed_by_id)
        self.assertTrue(xavier.endorsed)
        self.assertEqual(self.line.shortlist_entry_ids.filtered("endorsed"), xavier)
        bodies = self.line.message_ids.mapped("body")
        self.assertIn("instead of Alice Expert", bodies[0])
        self.assertTrue(any("Knows the customer" in body for body in bodies[1:]))

    def test_endorse_refusals(self):
        """Only the architect endorses, not the asker, not unasked, not silently."""
        (alice,) = self.shortlist(self.alice)
        with self.assertRaisesRegex(UserError, "Nobody asked a review"):
            alice.with_user(self.architect).action_endorse("Fine")
        self.ask_review()
        with self.assertRaisesRegex(UserError, "Only the technical architect"):
            alice.with_user(self.planner2).action_endorse("Fine")
        with self.assertRaisesRegex(UserError, "Only the technical architect"):
            alice.with_user(self.planner2).action_open_endorse()
        for comment in ("  ", None, 42):
            with self.assertRaisesRegex(UserError, "Say why"):
                alice.with_user(self.architect).action_endorse(comment)
        self.request.technical_architect_id = self.planner
        with self.assertRaisesRegex(UserError, "yourself"):
            alice.with_user(self.planner).action_endorse("Fine")
        self.assertFalse(alice.endorsed)
        self.assertEqual(self.line.review_state, "asked")

    # evidence on the allocation -------------------------------------------------

    def test_allocate_endorsed_entry_carries_evidence(self):
        """The endorsement reaches the allocation and the approvers' to-do."""
        _alice, xavier = self.shortlist(self.alice, self.xavier)
        self.ask_review()
        self.endorse(xavier, "Only SAP S/4 expert free")
        allocation = self.allocate_from(xavier).with_user(self.planner)
        self.assertEqual(allocation.state, "draft")
        self.assertEqual(allocation.employee_id, self.xavier)
        self.assertEqual(allocation.allocated_hours, 40)
        self.assertEqual(allocation.shortlist_entry_id, xavier)
        self.assertRegex(
            allocation.endorsement_note,
            r"^Endorsed by Architect Tom on .+: Only SAP S/4 expert free$",
        )
        allocation.external_justification = "Nobody internal knows S/4"
        allocation.action_request_approval()
        activity = allocation.activity_ids.filtered(
            lambda a: a.user_id == self.approver2
        )
        self.assertIn("Nobody internal knows S/4", activity.note)
        self.assertIn("Endorsed by Architect Tom", activity.note)
        self.assertIn("Only SAP S/4 expert free", activity.note)
        read = allocation.with_user(self.approver2).read(["endorsement_note"])
        self.assertIn("Only SAP S/4 expert free", read[0]["endorsement_note"])

    def test_allocate_unreviewed_entry(self):
        """An allocation from a shortlist nobody reviewed says so."""
        (alice,) = self.shortlist(self.alice)
        allocation = self.allocate_from(alice)
        self.assertEqual(allocation.shortlist_entry_id, alice)
        self.assertEqual(allocation.endorsement_note, "Not reviewed")

    def test_allocate_other_than_endorsed(self):
        """Allocating another consultant names the one the architect endorsed."""
        alice, xavier = self.shortlist(self.alice, self.xavier)
        self.ask_review()
        self.endorse(xavier, "Best fit")
        allocation = self.allocate_from(alice)
        self.assertRegex(
            allocation.endorsement_note,
            r"^Not endorsed: Architect Tom endorsed Xavier External on ",
        )

    def test_evidence_follows_consultant_and_approval(self):
        """The evidence is refreshed on a swap and when approval is asked."""
        alice, xavier = self.shortlist(self.alice, self.xavier)
        allocation = self.allocate(self.xavier, 8, external_justification="SAP")
        allocation = allocation.with_user(self.planner)
        self.assertEqual(allocation.shortlist_entry_id, xavier)
        self.assertEqual(allocation.endorsement_note, "Not reviewed")
        self.ask_review()
        self.endorse(xavier, "Best fit")
        allocation.action_request_approval()
        self.assertRegex(allocation.endorsement_note, "^Endorsed by Architect Tom")
        allocation.action_draft()
        allocation.employee_id = self.alice
        self.assertEqual(allocation.shortlist_entry_id, alice)
        self.assertRegex(allocation.endorsement_note, "^Not endorsed")

    def test_approval_without_shortlist(self):
        """Without a shortlist nothing is frozen until approval says: not reviewed."""
        internal = self.allocate(self.bob, 8)
        self.assertFalse(internal.endorsement_note)
        allocation = self.allocate(self.xavier, 8, external_justification="SAP")
        self.assertFalse(allocation.endorsement_note)
        allocation.with_user(self.planner).action_request_approval()
        self.assertFalse(allocation.shortlist_entry_id)
        self.assertEqual(allocation.endorsement_note, "Not reviewed")
        activity = allocation.activity_ids.filtered(
            lambda a: a.user_id == self.approver2
        )
        self.assertIn("Technical review: Not reviewed", activity.note)

    def test_forged_endorsement_refused(self):
        """Endorsement facts and evidence cannot be written by any caller."""
        (alice,) = self.shortlist(self.alice)
        entries = self.env[ENTRY].with_user(self.planner)
        forged = {
            "endorsed": True,
            "endorsement_comment": "Self-endorsed",
            "endorsed_by_id": self.architect.id,
            "score": 100.0,
        }
        for name, value in forged.items():
            with self.subTest(field=name):
                with self.assertRaisesRegex(UserError, ACTIONS_ONLY):
                    alice.with_user(self.planner).write({name: value})
                with self.assertRaisesRegex(UserError, ACTIONS_ONLY):
                    entries.create(
                        {
                            "request_line_id": self.line.id,
                            "employee_id": self.xavier.id,
                            name: value,
                        }
                    )
        result = entries.load(
            ["request_line_id/.id", "employee_id/.id", "endorsed"],
            [[str(self.line.id), str(self.xavier.id), "1"]],
        )
        self.assertFalse(result["ids"])
        self.assertFalse(alice.endorsed)
        self.assertEqual(self.line.shortlist_entry_ids, alice)
        allocation = self.allocate_from(alice).with_user(self.planner)
        with self.assertRaisesRegex(UserError, ACTIONS_ONLY):
            allocation.write({"endorsement_note": "Endorsed by everyone"})
        self.assertEqual(allocation.endorsement_note, "Not reviewed")


@tagged("post_install", "-at_install")
class TestShortlistTours(HttpCase, StaffingCase):
    """The planner shortlists and asks a review; the architect endorses."""

    def test_shortlist_and_endorse_in_browser(self):
        """Shortlist two candidates, ask a review, endorse one, in the browser."""
        architect = new_test_user(
            self.env,
            "rs_architect",
            groups="resource_sharing.group_user",
            name="Architect Tom",
        )
        self.request.technical_architect_id = architect
        self.start_request()
        url = (
            f"/odoo/action-resource_sharing.staffing_request_line_action/{self.line.id}"
        )
        self.start_tour(url, "resource_sharing_shortlist_tour", login="rs_planner")
        self.assertEqual(
            self.line.shortlist_entry_ids.employee_id, self.alice | self.xavier
        )
        self.assertEqual(self.line.review_state, "asked")
        self.start_tour(url, "resource_sharing_endorse_tour", login="rs_architect")
        endorsed = self.line.shortlist_entry_ids.filtered("endorsed")
        self.assertEqual(endorsed.employee_id, self.xavier)
        self.assertEqual(endorsed.endorsed_by_id, architect)
        self.assertIn("S/4 migration", endorsed.endorsement_comment)
