from odoo.tests import tagged

from .common import StaffingCase

PART_KEYS = ["skills", "availability", "internal", "bench", "customer", "margin"]
PART_FIELDS = {"key", "label", "detail", "points", "max_points"}


@tagged("post_install", "-at_install")
class TestScoreParts(StaffingCase):
    """The score badges: one label, detail and points per part, rates by group."""

    def _parts_of(self, candidates, employee):
        candidate = next(c for c in candidates if c["employee_id"] == employee.id)
        return {part["key"]: part for part in candidate["score_parts"]}, candidate

    def test_parts_repeat_the_breakdown(self):
        """Each part carries the label and detail of its line in the breakdown."""
        candidates = self.line.with_user(self.planner).get_candidates()
        parts, bob = self._parts_of(candidates, self.bob)
        self.assertEqual(list(parts), PART_KEYS)
        self.assertEqual(
            [line.split(":")[0] for line in bob["breakdown"].splitlines()],
            [part["label"] for part in parts.values()],
        )
        for part, line in zip(
            parts.values(), bob["breakdown"].splitlines(), strict=True
        ):
            self.assertEqual(
                set(part), {"key", "label", "detail", "points", "max_points"}
            )
            self.assertTrue(line.endswith(f"({part['detail']})"))
        self.assertEqual(parts["skills"]["label"], "Skills")
        self.assertEqual(
            (parts["availability"]["points"], parts["availability"]["max_points"]),
            (40.0, 40.0),
        )
        self.assertEqual(
            round(sum(p["points"] for p in parts.values()), 1), bob["score"]
        )
        self.assertEqual(
            parts["margin"]["detail"], "cost 50.00/h against 140.00/h sold"
        )

    def test_parts_hide_rates_from_users_without_money_group(self):
        """A salesperson gets the margin's points but no rate in its detail."""
        candidates = self.line.with_user(self.user).get_candidates()
        for candidate in candidates:
            parts = {part["key"]: part for part in candidate["score_parts"]}
            self.assertEqual(parts["margin"]["detail"], "rates hidden")
            for part in parts.values():
                self.assertNotIn("/h", part["detail"])
                self.assertNotIn("values", part)
        parts, _bob = self._parts_of(candidates, self.bob)
        self.assertGreater(parts["margin"]["points"], 0)

    def test_candidates_dialog_stores_the_parts(self):
        """The dialog's lines keep the parts the planner's ranking gave."""
        action = self.line.with_user(self.planner).action_find_candidates()
        search = (
            self.env["staffing.candidate.search"]
            .with_user(self.planner)
            .browse(action["res_id"])
        )
        ranked = self.line.with_user(self.planner).get_candidates()
        self.assertEqual(
            search.candidate_ids.mapped("score_parts"),
            [candidate["score_parts"] for candidate in ranked],
        )
        bob = search.candidate_ids.filtered(lambda c: c.employee_id == self.bob)
        margin = next(p for p in bob.score_parts if p["key"] == "margin")
        self.assertIn("50.00/h", margin["detail"])

    def test_shortlist_entry_parts_without_rates(self):
        """A shortlist entry freezes the parts without rates, whoever adds it."""
        entry = (
            self.env["staffing.shortlist.entry"]
            .with_user(self.planner)
            .create({"request_line_id": self.line.id, "employee_id": self.bob.id})
        )
        parts = {part["key"]: part for part in entry.score_parts}
        self.assertEqual(list(parts), PART_KEYS)
        self.assertEqual(parts["margin"]["detail"], "rates hidden")
        self.assertEqual(
            round(sum(p["points"] for p in parts.values()), 1), entry.score
        )
