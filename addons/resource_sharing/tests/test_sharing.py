from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .attack_table import Attack, AttackRunner
from .common import FRIDAY_NEXT, MONDAY, StaffingCase

ALLOC = "staffing.allocation"
AGREEMENT = "staffing.sharing.agreement"
LOAN = "staffing.loan"
COMPUTED = "computed and cannot be written"


class SharingCase(StaffingCase):
    """A Dutch company (the fixture's) borrows consultants of a Belgian sister."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_nl = cls.company
        cls.company_be = cls.env["res.company"].create(
            {"name": "Staffing Belgium", "currency_id": cls.company.currency_id.id}
        )
        cls.company_be.staffing_overload_tolerance = 0.0
        both = [Command.set((cls.company_nl | cls.company_be).ids)]
        groups = "resource_sharing.group_{}"
        # the fixture's users belong to the Dutch company only
        cls.planner_be = cls._be_user("rs_planner_be", groups.format("planner"))
        cls.planner_be2 = cls._be_user("rs_planner_be2", groups.format("planner"))
        cls.approver_be = cls._be_user("rs_approver_be", groups.format("approver"))
        cls.manager_both = new_test_user(
            cls.env,
            "rs_manager_both",
            groups=groups.format("manager"),
            company_id=cls.company_nl.id,
            company_ids=both,
        )
        cls.manager_nl = new_test_user(
            cls.env, "rs_manager_nl", groups=groups.format("manager")
        )
        cls.planner_both = new_test_user(
            cls.env,
            "rs_planner_both",
            groups=groups.format("planner"),
            company_id=cls.company_nl.id,
            company_ids=both,
        )
        cls.calendar_be = cls.env["resource.calendar"].create(
            {
                "name": "Belgium 40h",
                "tz": "Europe/Brussels",
                "company_id": cls.company_be.id,
                "attendance_ids": cls._attendances(range(5)),
            }
        )
        cls.bea = cls._employee(
            "Bea Belgian Expert",
            {cls.skill_sap: cls.level_expert, cls.skill_python: cls.level_expert},
            hourly_cost=55.0,
            company_id=cls.company_be.id,
            resource_calendar_id=cls.calendar_be.id,
        )
        cls.project_be = cls.env["project.project"].create(
            {"name": "Antwerp Rollout", "company_id": cls.company_be.id}
        )

    @classmethod
    def _be_user(cls, login, groups):
        return new_test_user(
            cls.env,
            login,
            groups=groups,
            company_id=cls.company_be.id,
            company_ids=[Command.set(cls.company_be.ids)],
        )

    def make_agreement(self, consent=True, default_rate=90.0):
        return (
            self.env["staffing.sharing.agreement"]
            .with_user(self.manager_both)
            .create(
                {
                    "lending_company_id": self.company_be.id,
                    "borrowing_company_id": self.company_nl.id,
                    "consent_required": consent,
                    "default_rate": default_rate,
                    "rate_ids": [
                        Command.create(
                            {"role_id": self.role_architect.id, "hourly_rate": 95.0}
                        )
                    ],
                }
            )
        )

    def allocate_bea(self, hours=40.0):
        return (
            self.env[ALLOC]
            .with_user(self.planner)
            .create(
                {
                    "employee_id": self.bea.id,
                    "request_line_id": self.line.id,
                    "allocated_hours": hours,
                }
            )
        )

    def loan_of(self, allocation, user):
        return (
            self.env["staffing.loan"]
            .with_user(user)
            .search([("allocation_id", "=", allocation.id)])
        )


@tagged("post_install", "-at_install")
class TestSharingAgreement(SharingCase):
    def test_agreement_configured_by_managers_of_both(self):
        """A manager of both companies makes it; of one company or a planner, not."""
        agreement = self.make_agreement()
        self.assertEqual(
            agreement.name, "Staffing Belgium lends to " + self.company_nl.name
        )
        agreement.with_user(self.manager_both).active = False
        for user in (self.manager_nl, self.planner_both):
            with self.assertRaises(AccessError):
                self.env["staffing.sharing.agreement"].with_user(user).create(
                    {
                        "lending_company_id": self.company_be.id,
                        "borrowing_company_id": self.company_nl.id,
                    }
                )
        with self.assertRaises(AccessError):
            agreement.with_user(self.manager_nl).consent_required = False
        self.assertTrue(agreement.consent_required)

    def test_bad_agreements_refused(self):
        """Itself, a second active agreement, negative rates: clear errors."""
        Agreement = self.env["staffing.sharing.agreement"].with_user(self.manager_both)
        count = Agreement.with_context(active_test=False).search_count([])
        with self.assertRaisesRegex(ValidationError, "cannot lend consultants to"):
            Agreement.create(
                {
                    "lending_company_id": self.company_nl.id,
                    "borrowing_company_id": self.company_nl.id,
                }
            )
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            Agreement.create(
                {
                    "lending_company_id": self.company_be.id,
                    "borrowing_company_id": self.company_nl.id,
                    "default_rate": -5,
                }
            )
        agreement = self.make_agreement()
        with self.assertRaisesRegex(ValidationError, "already active"):
            self.make_agreement()
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            agreement.rate_ids.hourly_rate = -1
        self.assertEqual(
            Agreement.with_context(active_test=False).search_count([]), count + 1
        )
        self.assertEqual(agreement.rate_ids.hourly_rate, 95.0)
        # archived, the pair may get a new agreement
        agreement.active = False
        self.assertTrue(self.make_agreement().active)

    def test_agreement_seen_by_both_companies_only(self):
        agreement = self.make_agreement()
        outsider = self.env["res.company"].create({"name": "Staffing Germany"})
        planner_de = new_test_user(
            self.env,
            "rs_planner_de",
            groups="resource_sharing.group_planner",
            company_id=outsider.id,
            company_ids=[Command.set(outsider.ids)],
        )
        Agreement = self.env["staffing.sharing.agreement"]
        self.assertIn(agreement, Agreement.with_user(self.planner).search([]))
        self.assertEqual(Agreement.with_user(self.planner_be).search([]), agreement)
        self.assertFalse(Agreement.with_user(planner_de).search([]))

    def test_used_agreement_archived_not_deleted(self):
        agreement = self.make_agreement()
        self.allocate_bea()
        with self.assertRaisesRegex(UserError, "archive it instead"):
            agreement.with_user(self.manager_both).unlink()


@tagged("post_install", "-at_install")
class TestSharingCandidates(SharingCase):
    def test_no_agreement_no_sister_candidates(self):
        ids = [
            c["employee_id"] for c in self.line.with_user(self.planner).get_candidates()
        ]
        self.assertNotIn(self.bea.id, ids)
        count = self.env[ALLOC].search_count([])
        with self.assertRaisesRegex(ValidationError, "no active sharing agreement"):
            self.allocate_bea()
        self.assertEqual(self.env[ALLOC].search_count([]), count)

    def test_sister_candidates_after_home_at_equal_fit(self):
        """Alice (home) and Bea (Belgium) fit equally: Alice first, then Bea."""
        self.make_agreement()
        candidates = self.line.with_user(self.planner).get_candidates()
        names = [c["name"] for c in candidates]
        self.assertLess(names.index("Alice Expert"), names.index("Bea Belgian Expert"))
        alice, bea = (
            candidates[names.index(n)] for n in ("Alice Expert", "Bea Belgian Expert")
        )
        self.assertEqual(alice["origin"], "home")
        self.assertEqual(bea["origin"], "sister")
        self.assertEqual(bea["company"], "Staffing Belgium")
        self.assertFalse(bea["is_external"])
        self.assertEqual(bea["intercompany_rate"], 95.0)
        self.assertEqual(bea["cost_rate"], 95.0)
        self.assertIn("lent by Staffing Belgium", bea["breakdown"])
        self.assertIn("intercompany rate 95.00/h", bea["breakdown"])
        self.assertEqual(bea["available_hours"], 80.0)
        xavier = candidates[names.index("Xavier External")]
        self.assertEqual(xavier["origin"], "partner")

    def test_candidate_rates_hidden_from_users(self):
        self.make_agreement()
        candidates = self.line.with_user(self.user).get_candidates()
        bea = next(c for c in candidates if c["employee_id"] == self.bea.id)
        self.assertNotIn("intercompany_rate", bea)
        self.assertNotIn("95", bea["breakdown"])

    def test_capacity_follows_the_consultants_calendar(self):
        """A Belgian public holiday on the Belgian calendar lowers Bea's hours."""
        self.make_agreement()
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Belgian holiday",
                "calendar_id": self.calendar_be.id,
                "date_from": "2030-03-05 00:00:00",
                "date_to": "2030-03-05 23:00:00",
            }
        )
        candidates = self.line.with_user(self.planner).get_candidates()
        bea = next(c for c in candidates if c["employee_id"] == self.bea.id)
        alice = next(c for c in candidates if c["employee_id"] == self.alice.id)
        self.assertEqual(bea["available_hours"], 72.0)
        self.assertEqual(alice["available_hours"], 80.0)

    def test_earliest_date_counts_sister_consultants(self):
        """With every home consultant booked, Bea makes today's start feasible."""
        self.line.skill_requirement_ids.filtered(
            "mandatory"
        ).level_id = self.level_expert
        self.xavier.active = False
        self.env[ALLOC].create(
            {
                "employee_id": self.alice.id,
                "project_id": self.project.id,
                "date_start": MONDAY,
                "date_end": FRIDAY_NEXT,
                "allocated_hours": 80,
            }
        ).action_confirm()
        self.assertNotEqual(
            self.line.with_user(self.planner).get_earliest_feasible_date(),
            MONDAY.isoformat(),
        )
        self.make_agreement()
        self.assertEqual(
            self.line.with_user(self.planner).get_earliest_feasible_date(),
            MONDAY.isoformat(),
        )


@tagged("post_install", "-at_install")
class TestSharingConsent(SharingCase):
    def test_allocation_belongs_to_project_names_lender(self):
        self.make_agreement()
        allocation = self.allocate_bea()
        self.assertEqual(allocation.company_id, self.company_nl)
        self.assertEqual(allocation.lending_company_id, self.company_be)
        self.assertTrue(allocation.needs_consent)
        self.assertEqual(allocation.with_user(self.planner).cost_rate, 95.0)
        self.assertEqual(allocation.with_user(self.planner).cost_amount, 3800.0)
        self.assertEqual(allocation.display_name, "Bea Belgian Expert on Brabant ERP")

    def test_consent_flow(self):
        self.make_agreement()
        allocation = self.allocate_bea()
        with self.assertRaisesRegex(UserError, "ask for its consent"):
            allocation.with_user(self.planner).action_confirm()
        allocation.with_user(self.planner).action_request_approval()
        self.assertEqual(allocation.state, "to_approve")
        loan = self.loan_of(allocation, self.planner_be)
        self.assertEqual(len(loan), 1)
        deciders = loan.activity_ids.user_id
        self.assertIn(self.planner_be, deciders)
        self.assertIn(self.planner_be2, deciders)
        self.assertNotIn(self.planner, deciders)
        self.assertFalse(
            deciders.filtered(lambda u: self.company_be not in u.company_ids)
        )
        self.assertTrue(loan.can_consent)
        # an approver of the borrowing company cannot decide for the lender
        with self.assertRaisesRegex(UserError, "a planner of that company consents"):
            allocation.with_user(self.approver).action_approve()
        with self.assertRaisesRegex(UserError, "set by its actions only"):
            allocation.with_user(self.approver).write(
                {"state": "confirmed", "approver_id": self.approver.id}
            )
        self.assertEqual(allocation.state, "to_approve")
        loan.action_consent()
        self.assertEqual(allocation.state, "confirmed")
        self.assertEqual(allocation.approver_id, self.planner_be)
        self.assertFalse(loan.activity_ids)
        self.assertIn(
            "consented to lending",
            allocation.message_ids[0].body,
        )

    def test_who_may_consent(self):
        """Not a planner of the borrower, not an approver, not the requester."""
        self.make_agreement()
        allocation = self.allocate_bea()
        allocation.with_user(self.planner_both).action_request_approval()
        loan = self.loan_of(allocation, self.planner_be)
        with self.assertRaisesRegex(UserError, "asked the consent"):
            self.loan_of(allocation, self.planner_both).action_consent()
        for user in (self.planner, self.approver):
            # the borrower's planners do not even see the lender's side
            self.assertFalse(self.loan_of(allocation, user))
            with self.assertRaises(AccessError):
                loan.with_user(user).action_consent()
        with self.assertRaises(AccessError):
            loan.with_user(self.approver_be).action_consent()
        self.assertEqual(allocation.state, "to_approve")
        loan.with_user(self.planner_be2).action_consent()
        self.assertEqual(allocation.approver_id, self.planner_be2)

    def test_refusal(self):
        self.make_agreement()
        allocation = self.allocate_bea()
        allocation.with_user(self.planner).action_request_approval()
        loan = self.loan_of(allocation, self.planner_be)
        action = loan.action_refuse()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.planner_be)
            .with_context(**action["context"])
            .create({"reason": "Bea is needed in Antwerp until June."})
        )
        wizard.action_refuse()
        self.assertEqual(allocation.state, "rejected")
        self.assertEqual(
            allocation.with_user(self.planner).rejection_reason,
            "Bea is needed in Antwerp until June.",
        )

    def test_without_consent_the_planner_confirms(self):
        self.make_agreement(consent=False)
        allocation = self.allocate_bea()
        self.assertFalse(allocation.needs_consent)
        allocation.with_user(self.planner).action_confirm()
        self.assertEqual(allocation.state, "confirmed")
        with self.assertRaisesRegex(UserError, "no approval is needed"):
            self.allocate_bea(8).with_user(self.planner).action_request_approval()

    def test_changed_terms_ask_consent_again(self):
        self.make_agreement()
        allocation = self.allocate_bea(32)
        allocation.with_user(self.planner).action_request_approval()
        self.loan_of(allocation, self.planner_be).action_consent()
        allocation.with_user(self.planner).allocated_hours = 40
        self.assertEqual(allocation.state, "to_approve")
        self.assertFalse(allocation.approver_id)
        self.assertTrue(self.loan_of(allocation, self.planner_be).activity_ids)

    def test_partner_consultant_of_sister_not_lent(self):
        self.make_agreement()
        self.bea.staffing_partner_id = self.partner_company
        with self.assertRaisesRegex(ValidationError, "partner consultants are engaged"):
            self.allocate_bea()


@tagged("post_install", "-at_install")
class TestSharingLoadAndRules(SharingCase):
    def test_overbooking_across_companies_refused(self):
        """Bea is full in Belgium that fortnight: the Dutch consent is refused."""
        self.make_agreement()
        home = self.env[ALLOC].create(
            {
                "employee_id": self.bea.id,
                "project_id": self.project_be.id,
                "company_id": self.company_be.id,
                "date_start": MONDAY,
                "date_end": FRIDAY_NEXT,
                "allocated_hours": 60,
            }
        )
        home.with_user(self.planner_be).action_confirm()
        allocation = self.allocate_bea(40)
        allocation.with_user(self.planner).action_request_approval()
        loan = self.loan_of(allocation, self.planner_be)
        with self.assertRaisesRegex(ValidationError, "over capacity"):
            loan.action_consent()
        self.assertEqual(allocation.state, "to_approve")
        # 20 hours still fit
        allocation.with_user(self.planner).allocated_hours = 20
        loan.action_consent()
        self.assertEqual(allocation.state, "confirmed")

    def test_each_company_keeps_its_money(self):
        """The lender reads its side and rate, not the borrower's allocation."""
        self.make_agreement()
        allocation = self.allocate_bea()
        loan = self.loan_of(allocation, self.planner_be)
        self.assertEqual(loan.intercompany_rate, 95.0)
        self.assertEqual(loan.intercompany_amount, 3800.0)
        self.assertEqual(loan.allocated_hours, 40.0)
        self.assertEqual(loan.project_id, self.project)
        Alloc = self.env[ALLOC].with_user(self.planner_be)
        self.assertFalse(Alloc.search([("id", "=", allocation.id)]))
        with self.assertRaises(AccessError):
            allocation.with_user(self.planner_be).read(["sold_rate"])
        self.assertFalse(Alloc.read_group([], ["sold_amount:sum"], ["company_id"]))
        # the borrower does not read the lender's side
        self.assertFalse(self.loan_of(allocation, self.planner))
        with self.assertRaises(AccessError):
            loan.with_user(self.planner).read(["intercompany_rate"])

    def test_lender_side_cannot_be_written(self):
        self.make_agreement()
        allocation = self.allocate_bea()
        loan = self.loan_of(allocation, self.planner_be)
        with self.assertRaisesRegex(UserError, "computed and cannot be written"):
            loan.write({"allocated_hours": 400})
        with self.assertRaisesRegex(UserError, "computed and cannot be written"):
            loan.write({"state": "confirmed"})
        with self.assertRaises(UserError):  # the guard, before the rights
            self.env["staffing.loan"].with_user(self.planner_be).create(
                {"allocation_id": allocation.id}
            )
        self.assertEqual(allocation.allocated_hours, 40.0)
        self.assertEqual(allocation.state, "draft")

    def test_lent_consultant_reads_own_plan(self):
        self.make_agreement()
        consultant = self._be_user("rs_bea", "base.group_user")
        self.bea.user_id = consultant
        allocation = self.allocate_bea()
        self.assertEqual(self.env[ALLOC].with_user(consultant).search([]), allocation)

    def test_borrowing_planner_tracks_a_lent_consultant(self):
        """Tracking the consultant of another company needs no access to it."""
        self.make_agreement()
        allocation = self.allocate_bea()
        allocation.with_user(self.planner).with_context(
            tracking_disable=False
        ).employee_id = self.alice
        allocation.with_user(self.planner).with_context(
            tracking_disable=False
        ).employee_id = self.bea
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(allocation.employee_id, self.bea)
        self.assertEqual(len(allocation.sudo().loan_ids), 1)

    def test_period_dates_are_the_positions(self):
        self.make_agreement()
        allocation = self.allocate_bea()
        self.assertEqual(
            (allocation.date_start, allocation.date_end), (MONDAY, FRIDAY_NEXT)
        )


def _agreement_vals(case, **extra):
    return {
        "lending_company_id": case.company_be.id,
        "borrowing_company_id": case.company_nl.id,
        **extra,
    }


# Rule [sharing] of the README: who configures agreements, who consents, what
# crosses between the two companies.
SHARING_ATTACKS = (
    Attack(
        "agreement made by a planner",
        "sharing",
        "planner_both",
        AGREEMENT,
        "create",
        values=_agreement_vals,
        error=AccessError,
        message="Only staffing administrators",
    ),
    Attack(
        "agreement made by an administrator of one company",
        "sharing",
        "manager_nl",
        AGREEMENT,
        "create",
        values=_agreement_vals,
        error=AccessError,
        message="you do not belong to Staffing Belgium",
    ),
    Attack(
        "agreement switched off by an administrator of one company",
        "sharing",
        "manager_nl",
        AGREEMENT,
        "write",
        "t_agreement",
        {"active": False},
        error=AccessError,
    ),
    Attack(
        "company lending to itself",
        "sharing",
        "manager_both",
        AGREEMENT,
        "create",
        values=lambda t: _agreement_vals(t, lending_company_id=t.company_nl.id),
        error=ValidationError,
        message="cannot lend consultants to itself",
    ),
    Attack(
        "second active agreement for the pair",
        "sharing",
        "manager_both",
        AGREEMENT,
        "copy",
        "t_agreement",
        {},
        error=ValidationError,
        message="already active",
    ),
    Attack(
        "negative intercompany rate",
        "sharing",
        "manager_both",
        AGREEMENT,
        "write",
        "t_agreement",
        {"default_rate": -1.0},
        error=ValidationError,
        message="cannot be negative",
    ),
    Attack(
        "consultant of a company without agreement",
        "sharing",
        "planner",
        ALLOC,
        "create",
        values=lambda t: {
            "employee_id": t.bea.id,
            "request_line_id": t.line.id,
            "allocated_hours": 8,
        },
        error=ValidationError,
        message="no active sharing agreement",
    ),
    Attack(
        "lent allocation confirmed by a write",
        "sharing",
        "approver",
        ALLOC,
        "write",
        "t_lent_to_approve",
        lambda t: {"state": "confirmed", "approver_id": t.approver.id},
        message="set by its actions only",
    ),
    Attack(
        "lent allocation approved by the borrower's approver",
        "sharing",
        "approver",
        ALLOC,
        "call",
        "t_lent_to_approve",
        ("action_approve",),
        message="a planner of that company consents",
    ),
    Attack(
        "lent allocation rejected by the borrower's approver",
        "sharing",
        "approver",
        ALLOC,
        "call",
        "t_lent_to_approve",
        ("_do_reject", "no"),
        message="a planner of that company consents",
    ),
    Attack(
        "lending company cleared by a caller",
        "sharing",
        "planner",
        ALLOC,
        "write",
        "t_lent_draft",
        {"lending_company_id": False, "needs_consent": False},
        message=COMPUTED,
    ),
    Attack(
        "consent written on the lender's side",
        "sharing",
        "planner_be",
        LOAN,
        "write",
        "t_loan_to_approve",
        {"state": "confirmed"},
        message=COMPUTED,
    ),
    Attack(
        "lender's side moved to another allocation",
        "sharing",
        "planner_be",
        LOAN,
        "write",
        "t_loan_to_approve",
        lambda t: {"allocation_id": t.t_lent_draft().id},
        message="set by its actions only",
    ),
    Attack(
        "consent given by a planner of the borrower",
        "sharing",
        "planner",
        LOAN,
        "call",
        "t_loan_to_approve",
        ("action_consent",),
        error=AccessError,
    ),
    Attack(
        "consent given by an approver of the lender",
        "sharing",
        "approver_be",
        LOAN,
        "call",
        "t_loan_to_approve",
        ("action_consent",),
        error=AccessError,
    ),
    Attack(
        "consent given by the planner who asked it",
        "sharing",
        "planner_both",
        LOAN,
        "call",
        "t_loan_asked_by_both",
        ("action_consent",),
        message="asked the consent",
    ),
    Attack(
        "lender reads the borrower's sold rate",
        "sharing",
        "planner_be",
        ALLOC,
        "read",
        "t_lent_draft",
        ["sold_rate", "sold_amount"],
        error=AccessError,
    ),
    Attack(
        "borrower reads the lender's side",
        "sharing",
        "planner",
        LOAN,
        "read",
        "t_loan_to_approve",
        ["intercompany_rate"],
        error=AccessError,
    ),
)


@tagged("post_install", "-at_install")
class TestSharingAttacks(AttackRunner, SharingCase):
    def t_agreement(self):
        return self.make_agreement()

    def t_lent_draft(self):
        agreements = self.env[AGREEMENT].search(
            [("lending_company_id", "=", self.company_be.id)]
        )
        if not agreements:
            self.make_agreement()
        return self.allocate_bea(8)

    def t_lent_to_approve(self):
        allocation = self.t_lent_draft()
        allocation.with_user(self.planner).action_request_approval()
        return allocation

    def t_loan_to_approve(self):
        return self.t_lent_to_approve().sudo().loan_ids

    def t_loan_asked_by_both(self):
        allocation = self.t_lent_draft()
        allocation.with_user(self.planner_both).action_request_approval()
        return allocation.sudo().loan_ids

    def test_sharing_attacks(self):
        """Every attack on sister-company sharing is refused, nothing written."""
        self.run_attacks(SHARING_ATTACKS)
