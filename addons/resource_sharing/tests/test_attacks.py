import math
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .attack_table import Attack, AttackRunner
from .common import FRIDAY_NEXT, MONDAY, StaffingCase

ALLOC = "staffing.allocation"
REQUEST = "staffing.request"
LINE = "staffing.request.line"
ENTRY = "staffing.shortlist.entry"
PROPOSAL = "staffing.proposal"
PROPOSAL_LINE = "staffing.proposal.line"
ACTIONS_ONLY = "set by its actions only"
COMPUTED = "computed and cannot be written"

# The README's "Rules that hold on every path", by key; every key has rows.
RULES = {
    "state": "A state changes only through its action, on every path.",
    "approval": "Approval facts are written only by the approval actions.",
    "external": "Being external follows from the partner company, never written.",
    "reapproval": "Changed terms of an external allocation need a new approval.",
    "derived": "Computed and related values are never written by a caller.",
    "money": "Money and approval notes reach only planners and approvers.",
    "bounds": "Numbers are finite, dates within 2000-2099, periods bounded.",
    "skills": "Skill requirements are changed by planners (roles: managers).",
    "history": "Records with a history are cancelled, never deleted.",
    "load": "A confirmed allocation never overbooks a consultant.",
    "read": "Reading a plan never fails on records the reader cannot see.",
    "sharing": "Consultants cross companies only under an agreement, with consent.",
    "review": "Shortlist scores and endorsements are written by their actions only.",
    "portal": "Partners see and answer only their own company's requests.",
    "restaffing": "Hours lost to leave and escalation steps are the server's.",
}


def _allocation_vals(case, **extra):
    return {
        "employee_id": case.bob.id,
        "request_line_id": case.line.id,
        "allocated_hours": 8,
        **extra,
    }


def _request_vals(case, **extra):
    return {
        "partner_id": case.customer.id,
        "date_start": MONDAY,
        "date_end": FRIDAY_NEXT,
        **extra,
    }


def _has_no_rates(case, candidates):
    case.assertTrue(candidates)
    for candidate in candidates:
        case.assertNotIn("cost_rate", candidate)
        case.assertNotIn("sold_rate", candidate)
        margin = next(p for p in candidate["parts"] if p["key"] == "margin")
        case.assertEqual(margin["values"], {})
        case.assertIn("rates hidden", candidate["breakdown"])


def _has_rates(case, candidates):
    case.assertIn("cost_rate", candidates[0])
    case.assertIn("sold_rate", candidates[0])


def _approval_asked_again(case, _result):
    allocation = case.last_target
    case.assertEqual(allocation.state, "to_approve")
    case.assertFalse(allocation.approver_id)
    case.assertFalse(allocation.approval_date)


def _entry_vals(case, employee=None, **extra):
    return {
        "request_line_id": case.line.id,
        "employee_id": (employee or case.alice).id,
        **extra,
    }


def _endorsement_follows_consultant(case, _result):
    allocation = case.last_target
    case.assertFalse(allocation.shortlist_entry_id)
    case.assertRegex(allocation.endorsement_note, "^Not endorsed: Architect Tom")


def _load_read_without_error(case, rows):
    case.assertEqual(len(rows), 1)
    case.assertTrue(rows[0]["is_overloaded"])


ATTACKS = (
    # state ------------------------------------------------------------------
    Attack(
        "request created done",
        "state",
        "user",
        REQUEST,
        "create",
        values=lambda t: _request_vals(t, state="done"),
        message=ACTIONS_ONLY,
    ),
    Attack(
        "request created with default_state",
        "state",
        "user",
        REQUEST,
        "create",
        values=_request_vals,
        context={"default_state": "done"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "request state written",
        "state",
        "planner",
        REQUEST,
        "write",
        "t_request",
        {"state": "done"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "request staffed forced",
        "state",
        "planner",
        REQUEST,
        "write",
        "t_request_started",
        {"state": "staffed"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "request imported done",
        "state",
        "planner",
        REQUEST,
        "load",
        values=lambda t: (
            ["partner_id/.id", "date_start", "date_end", "state"],
            [[str(t.customer.id), "2030-03-04", "2030-03-15", "done"]],
        ),
        message=ACTIONS_ONLY,
    ),
    Attack(
        "request copied done",
        "state",
        "planner",
        REQUEST,
        "copy",
        "t_request",
        {"state": "done"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "request linked to an order",
        "state",
        "user",
        REQUEST,
        "write",
        "t_request",
        {"sale_order_id": 1},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "position state written",
        "state",
        "user",
        LINE,
        "write",
        "t_line",
        {"state": "staffed"},
        message=COMPUTED,
    ),
    Attack(
        "position marked unfillable by write",
        "state",
        "user",
        LINE,
        "write",
        "t_line",
        {"is_unfillable": True},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "position cancelled by write",
        "state",
        "planner",
        LINE,
        "write",
        "t_line",
        {"is_cancelled": True},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "position reopened by a salesperson",
        "state",
        "user",
        LINE,
        "call",
        "t_line_unfillable",
        ("action_reopen",),
        message="Only PMO planners",
    ),
    Attack(
        "allocation rejected without reason",
        "state",
        "approver2",
        ALLOC,
        "write",
        "t_external_to_approve",
        {"state": "rejected"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "allocation sent to approval by write",
        "state",
        "manager",
        ALLOC,
        "write",
        "t_external_draft",
        {"state": "to_approve"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "allocation created confirmed",
        "state",
        "planner",
        ALLOC,
        "create",
        values=lambda t: _allocation_vals(t, state="confirmed"),
        message=ACTIONS_ONLY,
    ),
    Attack(
        "allocation imported confirmed",
        "state",
        "planner",
        ALLOC,
        "load",
        values=lambda t: (
            ["employee_id/.id", "request_line_id/.id", "allocated_hours", "state"],
            [[str(t.bob.id), str(t.line.id), "8", "confirmed"]],
        ),
        message=ACTIONS_ONLY,
    ),
    Attack(
        "allocation copied confirmed",
        "state",
        "planner",
        ALLOC,
        "copy",
        "t_internal_draft",
        {"state": "confirmed"},
        message=ACTIONS_ONLY,
    ),
    # approval ---------------------------------------------------------------
    Attack(
        "internal swapped to partner, confirmed, approved",
        "approval",
        "planner",
        ALLOC,
        "write",
        "t_internal_draft",
        lambda t: {
            "employee_id": t.xavier.id,
            "state": "confirmed",
            "approver_id": t.approver2.id,
            "approval_date": "2001-01-01 00:00:00",
        },
        message=ACTIONS_ONLY,
    ),
    Attack(
        "approver rewritten",
        "approval",
        "planner",
        ALLOC,
        "write",
        "t_external_confirmed",
        lambda t: {"approver_id": t.approver.id},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "approval date rewritten",
        "approval",
        "planner",
        ALLOC,
        "write",
        "t_external_confirmed",
        {"approval_date": "2001-01-01 00:00:00"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "requester overwritten",
        "approval",
        "manager",
        ALLOC,
        "write",
        "t_external_asked_by_manager",
        lambda t: {"requested_by_id": t.planner.id},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "requester approves own request",
        "approval",
        "manager",
        ALLOC,
        "call",
        "t_external_asked_by_manager",
        ("action_approve",),
        message="yourself",
    ),
    Attack(
        "evidence of candidates rewritten",
        "approval",
        "planner",
        ALLOC,
        "write",
        "t_external_to_approve",
        {"internal_candidates_note": "none"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "request date rewritten",
        "approval",
        "planner",
        ALLOC,
        "write",
        "t_external_to_approve",
        {"approval_request_date": "2001-01-01 00:00:00"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "rejection reason rewritten",
        "approval",
        "approver2",
        ALLOC,
        "write",
        "t_external_rejected",
        {"rejection_reason": "other"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "justification changed under approval",
        "approval",
        "planner",
        ALLOC,
        "write",
        "t_external_to_approve",
        {"external_justification": "x"},
        message="evidence",
    ),
    Attack(
        "approved allocation copied with its approver",
        "approval",
        "planner",
        ALLOC,
        "copy",
        "t_external_confirmed",
        lambda t: {"approver_id": t.approver2.id},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "allocation created with an approver",
        "approval",
        "planner",
        ALLOC,
        "create",
        values=lambda t: _allocation_vals(t, approver_id=t.approver.id),
        message=ACTIONS_ONLY,
    ),
    # external ---------------------------------------------------------------
    Attack(
        "allocation made internal",
        "external",
        "planner",
        ALLOC,
        "write",
        "t_external_draft",
        {"is_external": False},
        message=COMPUTED,
    ),
    Attack(
        "allocation's partner company cleared",
        "external",
        "planner",
        ALLOC,
        "write",
        "t_external_draft",
        {"staffing_partner_id": False},
        message=COMPUTED,
    ),
    Attack(
        "consultant flagged external",
        "external",
        "hr_officer",
        "hr.employee",
        "write",
        "t_bob",
        {"is_external": True},
        message="partner company",
    ),
    Attack(
        "consultant's ledger span shortened",
        "derived",
        "hr_officer",
        "hr.employee",
        "write",
        "t_bob",
        {"staffing_ledger_end": "2000-01-01"},
        message="kept by the ledger itself",
    ),
    Attack(
        "consultant created with a ledger span",
        "derived",
        "hr_officer",
        "hr.employee",
        "create",
        None,
        {"name": "Forged Span", "staffing_ledger_start": "2099-01-01"},
        message="kept by the ledger itself",
    ),
    Attack(
        "confirmed consultant moved to a partner",
        "external",
        "hr_officer",
        "hr.employee",
        "write",
        "t_bob_confirmed",
        lambda t: {"staffing_partner_id": t.partner_company.id},
        message="holds confirmed or pending",
    ),
    # reapproval -------------------------------------------------------------
    Attack(
        "approved external moved in time",
        "reapproval",
        "planner",
        ALLOC,
        "write",
        "t_external_confirmed",
        {"date_end": "2030-03-14"},
        error=None,
        check=_approval_asked_again,
    ),
    Attack(
        "approved external given more hours",
        "reapproval",
        "planner",
        ALLOC,
        "write",
        "t_external_confirmed",
        {"allocated_hours": 12},
        error=None,
        check=_approval_asked_again,
    ),
    Attack(
        "approved external moved to another project",
        "reapproval",
        "planner",
        ALLOC,
        "write",
        "t_external_confirmed_free",
        lambda t: {"project_id": t.other_project.id},
        error=None,
        check=_approval_asked_again,
    ),
    # staffing proposals (Auto-staff) ------------------------------------------
    Attack(
        "proposal created applied",
        "state",
        "planner",
        PROPOSAL,
        "create",
        values={"scope": "positions", "state": "applied"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "proposal state written",
        "state",
        "planner",
        PROPOSAL,
        "write",
        "t_proposal_computed",
        {"state": "applied"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "proposal applied twice",
        "state",
        "planner",
        PROPOSAL,
        "call",
        "t_proposal_applied",
        ("action_apply",),
        message="only a computed proposal",
    ),
    Attack(
        "proposal computed by a salesperson",
        "state",
        "user",
        PROPOSAL,
        "call",
        "t_proposal_computed",
        ("action_compute",),
        error=(AccessError, UserError),
    ),
    Attack(
        "proposal totals written",
        "derived",
        "planner",
        PROPOSAL,
        "write",
        "t_proposal_computed",
        {"filled_hours": 1000.0, "greedy_filled_hours": 0.0},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "proposal line hours written",
        "derived",
        "planner",
        PROPOSAL_LINE,
        "write",
        "t_proposal_line",
        {"hours": 999.0},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "proposal with a time limit of 0",
        "bounds",
        "planner",
        PROPOSAL,
        "create",
        values={"scope": "positions", "time_limit": 0.0},
        error=ValidationError,
        message="time limit must be more",
    ),
    # derived ----------------------------------------------------------------
    Attack(
        "customer of the project written through",
        "derived",
        "planner",
        ALLOC,
        "write",
        "t_internal_draft",
        lambda t: {"partner_id": t.partner_company.id},
        message=COMPUTED,
    ),
    Attack(
        "request of an allocation written",
        "derived",
        "planner",
        ALLOC,
        "write",
        "t_internal_draft",
        lambda t: {"request_id": t.request.id},
        message=COMPUTED,
    ),
    Attack(
        "project of a position written through",
        "derived",
        "user",
        LINE,
        "write",
        "t_line",
        lambda t: {"project_id": t.other_project.id},
        message=COMPUTED,
    ),
    Attack(
        "hours of a request written",
        "derived",
        "user",
        REQUEST,
        "write",
        "t_request",
        {"allocated_hours": 999},
        message=COMPUTED,
    ),
    # money ------------------------------------------------------------------
    Attack(
        "salesperson reads sold rate",
        "money",
        "user",
        ALLOC,
        "read",
        "t_internal_draft",
        ["sold_rate"],
        error=AccessError,
        message="sold_rate",
    ),
    Attack(
        "salesperson reads sold amount",
        "money",
        "user",
        ALLOC,
        "read",
        "t_internal_draft",
        ["sold_amount"],
        error=AccessError,
        message="sold_amount",
    ),
    Attack(
        "project manager reads cost rate",
        "money",
        "project_manager",
        ALLOC,
        "read",
        "t_internal_draft",
        ["cost_rate"],
        error=AccessError,
        message="cost_rate",
    ),
    Attack(
        "consultant reads candidates note",
        "money",
        "employee_user",
        ALLOC,
        "read",
        "t_alice_draft",
        ["internal_candidates_note"],
        error=AccessError,
        message="internal_candidates_note",
    ),
    Attack(
        "consultant reads justification",
        "money",
        "employee_user",
        ALLOC,
        "read",
        "t_alice_draft",
        ["external_justification"],
        error=AccessError,
        message="external_justification",
    ),
    Attack(
        "salesperson groups sold amounts",
        "money",
        "user",
        ALLOC,
        "read_group",
        values=([], ["sold_amount:sum"], ["project_id"]),
        error=AccessError,
        message="sold_amount",
    ),
    Attack(
        "salesperson searches by cost",
        "money",
        "user",
        ALLOC,
        "search",
        values=[("cost_amount", ">", 0)],
        error=AccessError,
        message="cost_amount",
    ),
    Attack(
        "salesperson exports sold rates",
        "money",
        "user",
        ALLOC,
        "export",
        "t_internal_draft",
        ["sold_rate"],
        error=AccessError,
        message="sold_rate",
    ),
    Attack(
        "salesperson ranks candidates",
        "money",
        "user",
        LINE,
        "call",
        "t_line",
        ("get_candidates", 5),
        error=None,
        check=_has_no_rates,
    ),
    Attack(
        "planner ranks candidates",
        "money",
        "planner",
        LINE,
        "call",
        "t_line",
        ("get_candidates", 5),
        error=None,
        check=_has_rates,
    ),
    # bounds -----------------------------------------------------------------
    Attack(
        "allocation ending in 2500",
        "bounds",
        "planner",
        ALLOC,
        "create",
        values=lambda t: {
            "employee_id": t.bob.id,
            "project_id": t.other_project.id,
            "date_start": "2030-03-04",
            "date_end": "2500-01-01",
            "allocated_hours": 8,
        },
        error=ValidationError,
        message="between 2000-01-01 and 2099-12-31",
    ),
    Attack(
        "allocation moved to 9999-12-31",
        "bounds",
        "planner",
        ALLOC,
        "write",
        "t_free_allocation",
        {"date_end": "9999-12-31"},
        error=ValidationError,
        message="between",
    ),
    Attack(
        "allocation over six years",
        "bounds",
        "planner",
        ALLOC,
        "write",
        "t_free_allocation",
        {"date_end": "2036-03-04"},
        error=ValidationError,
        message="more than 5 years",
    ),
    Attack(
        "NaN hours",
        "bounds",
        "planner",
        ALLOC,
        "write",
        "t_internal_draft",
        {"allocated_hours": math.nan},
        error=ValidationError,
        message="finite",
    ),
    Attack(
        "infinite hours",
        "bounds",
        "planner",
        ALLOC,
        "write",
        "t_internal_draft",
        {"allocated_hours": math.inf},
        error=ValidationError,
        message="finite",
    ),
    Attack(
        "text hours",
        "bounds",
        "planner",
        ALLOC,
        "write",
        "t_internal_draft",
        {"allocated_hours": "eight"},
        error=ValidationError,
        message="must be a number",
    ),
    Attack(
        "negative sold rate",
        "bounds",
        "planner",
        ALLOC,
        "write",
        "t_internal_draft",
        {"sold_rate": -5},
        error=ValidationError,
        message="cannot be negative",
    ),
    Attack(
        "position hours as text",
        "bounds",
        "user",
        LINE,
        "write",
        "t_line",
        {"planned_hours": "lots"},
        error=ValidationError,
        message="must be a number",
    ),
    Attack(
        "position over six years",
        "bounds",
        "user",
        LINE,
        "create",
        values=lambda t: {
            "request_id": t.request.id,
            "role_id": t.role_architect.id,
            "planned_hours": 8,
            "date_start": "2030-01-01",
            "date_end": "2036-01-01",
        },
        error=ValidationError,
        message="more than 5 years",
    ),
    Attack(
        "request starting in 1900",
        "bounds",
        "user",
        REQUEST,
        "write",
        "t_request",
        {"date_start": "1900-01-01"},
        error=ValidationError,
        message="between",
    ),
    Attack(
        "request that is not a date",
        "bounds",
        "user",
        REQUEST,
        "write",
        "t_request",
        {"date_start": "soon"},
        error=ValidationError,
        message="must be a date",
    ),
    Attack(
        "bill rate NaN",
        "bounds",
        "manager",
        "staffing.role",
        "write",
        "t_role",
        {"bill_rate": math.nan},
        error=ValidationError,
        message="finite",
    ),
    Attack(
        "shared role named twice",
        "bounds",
        "manager",
        "staffing.role",
        "create",
        values={"name": " test solution ARCHITECT "},
        error=ValidationError,
        message="already exists",
    ),
    Attack(
        "company role named like a shared one",
        "bounds",
        "manager",
        "staffing.role",
        "create",
        values=lambda t: {
            "name": "Test Solution Architect",
            "company_id": t.env.company.id,
        },
        error=ValidationError,
        message="already exists",
    ),
    Attack(
        "partner purchase rate as text",
        "bounds",
        "planner",
        "res.partner",
        "write",
        "t_partner_company",
        {"staffing_purchase_rate": "cheap"},
        error=ValidationError,
        message="must be a number",
    ),
    Attack(
        "no candidates asked",
        "bounds",
        "planner",
        LINE,
        "call",
        "t_line",
        ("get_candidates", 0),
        message="at least one",
    ),
    # skills -----------------------------------------------------------------
    Attack(
        "salesperson edits a role's skills",
        "skills",
        "user",
        "staffing.skill.requirement",
        "write",
        "t_role_requirement",
        {"mandatory": False},
        error=AccessError,
        message="Staffing Skill Requirement",
    ),
    Attack(
        "salesperson deletes a role's skills",
        "skills",
        "user",
        "staffing.skill.requirement",
        "unlink",
        "t_role_requirement",
        error=AccessError,
        message="Staffing Skill Requirement",
    ),
    Attack(
        "planner edits a role's skills",
        "skills",
        "planner",
        "staffing.skill.requirement",
        "write",
        "t_role_requirement",
        {"mandatory": False},
        error=AccessError,
        message="Staffing Skill Requirement",
    ),
    Attack(
        "salesperson edits a position's skills",
        "skills",
        "user",
        "staffing.skill.requirement",
        "write",
        "t_line_requirement",
        {"mandatory": False},
        error=AccessError,
        message="Staffing Skill Requirement",
    ),
    Attack(
        "salesperson adds a skill to a position",
        "skills",
        "user",
        "staffing.skill.requirement",
        "create",
        values=lambda t: {
            "request_line_id": t.line.id,
            "skill_id": t.skill_data.id,
            "level_id": t.level_mid.id,
        },
        error=AccessError,
    ),
    # history ----------------------------------------------------------------
    Attack(
        "confirmed allocation deleted",
        "history",
        "planner",
        ALLOC,
        "unlink",
        "t_internal_confirmed",
        message="cancel it instead",
    ),
    Attack(
        "applied proposal deleted",
        "history",
        "planner",
        PROPOSAL,
        "unlink",
        "t_proposal_applied",
        message="kept as the history",
    ),
    Attack(
        "line of an applied proposal deleted",
        "history",
        "planner",
        PROPOSAL_LINE,
        "unlink",
        "t_proposal_applied_line",
        message="kept as the history",
    ),
    Attack(
        "started request deleted",
        "history",
        "planner",
        REQUEST,
        "unlink",
        "t_request_started",
        message="cancel it instead",
    ),
    # load -------------------------------------------------------------------
    Attack(
        "consultant overbooked",
        "load",
        "planner",
        ALLOC,
        "call",
        "t_overbooking",
        ("action_confirm",),
        error=ValidationError,
        message="over capacity",
    ),
    # read -------------------------------------------------------------------
    Attack(
        "project manager reads a shared consultant's load",
        "read",
        "project_manager",
        ALLOC,
        "call",
        "t_shared_consultant_allocation",
        ("read", ["is_overloaded", "hours_per_day", "overload_info"]),
        error=None,
        check=_load_read_without_error,
    ),
    # review -----------------------------------------------------------------
    Attack(
        "shortlist entry endorsed by write",
        "review",
        "planner",
        ENTRY,
        "write",
        "t_entry",
        {"endorsed": True},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "endorsement comment rewritten",
        "review",
        "planner",
        ENTRY,
        "write",
        "t_entry_endorsed",
        {"endorsement_comment": "Endorsed by the planner"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "endorser rewritten",
        "review",
        "manager",
        ENTRY,
        "write",
        "t_entry_endorsed",
        lambda t: {"endorsed_by_id": t.manager.id},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "endorsement date rewritten",
        "review",
        "planner",
        ENTRY,
        "write",
        "t_entry_endorsed",
        {"endorsed_date": "2001-01-01 00:00:00"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "shortlist entry created endorsed",
        "review",
        "planner",
        ENTRY,
        "create",
        values=lambda t: _entry_vals(
            t, endorsed=True, endorsed_by_id=t.architect.id, endorsement_comment="x"
        ),
        message=ACTIONS_ONLY,
    ),
    Attack(
        "shortlist entry created with default_endorsed",
        "review",
        "planner",
        ENTRY,
        "create",
        values=_entry_vals,
        context={"default_endorsed": True},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "shortlist entry imported endorsed",
        "review",
        "planner",
        ENTRY,
        "load",
        values=lambda t: (
            ["request_line_id/.id", "employee_id/.id", "endorsed"],
            [[str(t.line.id), str(t.alice.id), "1"]],
        ),
        message=ACTIONS_ONLY,
    ),
    Attack(
        "shortlist entry created with a better score",
        "review",
        "planner",
        ENTRY,
        "create",
        values=lambda t: _entry_vals(t, score=99.0),
        message=ACTIONS_ONLY,
    ),
    Attack(
        "frozen score rewritten",
        "review",
        "planner",
        ENTRY,
        "write",
        "t_entry",
        {"score_breakdown": "Perfect"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "shortlisted consultant swapped",
        "review",
        "planner",
        ENTRY,
        "write",
        "t_entry_endorsed",
        lambda t: {"employee_id": t.bob.id},
        message="remove the entry",
    ),
    Attack(
        "consultant shortlisted twice",
        "review",
        "planner",
        ENTRY,
        "create",
        "t_entry",
        _entry_vals,
        error=ValidationError,
        message="already on the shortlist",
    ),
    Attack(
        "consultant without the mandatory skills shortlisted",
        "review",
        "planner",
        ENTRY,
        "create",
        values=lambda t: _entry_vals(t, t.carol),
        error=ValidationError,
        message="no candidate",
    ),
    Attack(
        "salesperson shortlists",
        "review",
        "user",
        ENTRY,
        "create",
        values=_entry_vals,
        error=AccessError,
    ),
    Attack(
        "endorsed entry deleted",
        "review",
        "planner",
        ENTRY,
        "unlink",
        "t_entry_endorsed",
        message="stays on the shortlist",
    ),
    Attack(
        "review state written",
        "review",
        "planner",
        LINE,
        "write",
        "t_line",
        {"review_state": "endorsed"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "review asker rewritten",
        "review",
        "manager",
        LINE,
        "write",
        "t_line_review_asked",
        lambda t: {"review_requested_by_id": t.architect.id},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "salesperson asks a review",
        "review",
        "user",
        LINE,
        "call",
        "t_line_shortlisted",
        ("action_request_review",),
        message="Only PMO planners",
    ),
    Attack(
        "planner endorses in the architect's place",
        "review",
        "planner2",
        ENTRY,
        "call",
        "t_entry_review_asked",
        ("action_endorse", "Fine"),
        message="Only the technical architect",
    ),
    Attack(
        "asker endorses their own shortlist",
        "review",
        "planner",
        ENTRY,
        "call",
        "t_entry_asked_by_architect",
        ("action_endorse", "Fine"),
        message="yourself",
    ),
    Attack(
        "endorsement note forged",
        "review",
        "planner",
        ALLOC,
        "write",
        "t_allocation_endorsed",
        {"endorsement_note": "Endorsed by everyone"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "allocation created with a shortlist entry",
        "review",
        "planner",
        ALLOC,
        "create",
        values=lambda t: _allocation_vals(t, shortlist_entry_id=t.t_entry().id),
        message=ACTIONS_ONLY,
    ),
    Attack(
        "allocation copied with an endorsement",
        "review",
        "planner",
        ALLOC,
        "copy",
        "t_allocation_endorsed",
        {"endorsement_note": "Endorsed by Architect Tom"},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "consultant reads the architect's comment on them",
        "review",
        "employee_user",
        ALLOC,
        "read",
        "t_allocation_endorsed",
        ["endorsement_note"],
        error=AccessError,
        message="endorsement_note",
    ),
    Attack(
        "endorsed consultant swapped on the allocation",
        "review",
        "planner",
        ALLOC,
        "write",
        "t_allocation_endorsed",
        lambda t: {"employee_id": t.bob.id},
        error=None,
        check=_endorsement_follows_consultant,
    ),
    # restaffing -------------------------------------------------------------
    Attack(
        "hours lost to leave rewritten",
        "restaffing",
        "planner",
        ALLOC,
        "write",
        "t_internal_confirmed",
        {"leave_lost_hours": 0.5},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "allocation created with hours lost to leave",
        "restaffing",
        "planner",
        ALLOC,
        "create",
        values=lambda t: _allocation_vals(t, leave_lost_hours=8),
        message=ACTIONS_ONLY,
    ),
    Attack(
        "allocation created with default_leave_lost_hours",
        "restaffing",
        "planner",
        ALLOC,
        "create",
        values=_allocation_vals,
        context={"default_leave_lost_hours": 8},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "allocation imported with hours lost to leave",
        "restaffing",
        "planner",
        ALLOC,
        "load",
        values=lambda t: (
            ["employee_id/.id", "request_line_id/.id", "allocated_hours"]
            + ["leave_lost_hours"],
            [[str(t.bob.id), str(t.line.id), "8", "8"]],
        ),
        message=ACTIONS_ONLY,
    ),
    Attack(
        "escalation step written",
        "restaffing",
        "planner",
        REQUEST,
        "write",
        "t_request_started",
        {"escalation_step": 2},
        message=ACTIONS_ONLY,
    ),
    Attack(
        "request created past the ladder",
        "restaffing",
        "user",
        REQUEST,
        "create",
        values=lambda t: _request_vals(t, priority="1", escalation_step=2),
        message=ACTIONS_ONLY,
    ),
    Attack(
        "request copied past the ladder",
        "restaffing",
        "planner",
        REQUEST,
        "copy",
        "t_request",
        {"escalation_step": 2},
        message=ACTIONS_ONLY,
    ),
)


@tagged("post_install", "-at_install")
class TestAttacks(AttackRunner, StaffingCase):
    """Every row of the attack table, as a real user of its group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            "rs_manager",
            groups="resource_sharing.group_manager",
            name="Manager Max",
        )
        cls.hr_officer = new_test_user(
            cls.env, "rs_hr", groups="hr.group_hr_user", name="HR Hanne"
        )
        cls.architect = new_test_user(
            cls.env,
            "rs_architect",
            groups="resource_sharing.group_user",
            name="Architect Tom",
        )
        # the salesperson may export, so the export row tests the money fields
        cls.user.groups_id += cls.env.ref("base.group_allow_export")
        cls.other_project = cls.env["project.project"].create(
            {"name": "Hidden Internal Project", "privacy_visibility": "followers"}
        )
        cls.started = cls.request.copy({"engagement_manager_id": cls.user.id})
        cls.started.action_submit()
        cls.started.with_user(cls.planner).action_start()

    def _run_attack(self, attack):
        self.last_target = None
        return super()._run_attack(attack)

    # targets: fresh records in the state the row attacks -----------------------

    def _remember(self, record):
        self.last_target = record
        return record

    def t_request(self):
        return self.request

    def t_request_started(self):
        return self.started

    def t_line(self):
        return self.line

    def t_proposal_computed(self):
        proposal = (
            self.env[PROPOSAL]
            .with_user(self.planner)
            .create({"scope": "positions", "request_line_ids": [(6, 0, self.line.ids)]})
        )
        proposal.action_compute()
        return proposal.with_user(self.env.user)

    def t_proposal_applied(self):
        proposal = self.t_proposal_computed()
        proposal.with_user(self.planner).action_apply()
        return proposal

    def t_proposal_applied_line(self):
        return self.t_proposal_applied().line_ids[:1]

    def t_proposal_line(self):
        return self.t_proposal_computed().line_ids[:1]

    def t_line_unfillable(self):
        line = self.line.copy({"request_id": self.started.id})
        line._write_action_values({"is_unfillable": True, "unfillable_reason": "x"})
        return line

    def t_role(self):
        return self.role_architect

    def t_role_requirement(self):
        return self.role_architect.skill_requirement_ids[:1]

    def t_line_requirement(self):
        return self.line.skill_requirement_ids[:1]

    def t_bob(self):
        return self.bob

    def t_partner_company(self):
        return self.partner_company

    def t_bob_confirmed(self):
        self.t_internal_confirmed()
        return self.bob

    def t_internal_draft(self):
        return self._remember(self.allocate(self.bob, 8))

    def t_alice_draft(self):
        return self._remember(self.allocate(self.alice, 8))

    def t_free_allocation(self):
        return self._remember(
            self.env[ALLOC].create(
                {
                    "employee_id": self.bob.id,
                    "project_id": self.other_project.id,
                    "date_start": MONDAY,
                    "date_end": FRIDAY_NEXT,
                    "allocated_hours": 8,
                }
            )
        )

    def t_internal_confirmed(self):
        allocation = self.t_internal_draft()
        allocation.with_user(self.planner).action_confirm()
        return allocation

    def t_external_draft(self):
        return self._remember(
            self.allocate(self.xavier, 8, external_justification="Only SAP expert")
        )

    def t_external_to_approve(self):
        allocation = self.t_external_draft()
        allocation.with_user(self.planner).action_request_approval()
        return allocation

    def t_external_asked_by_manager(self):
        allocation = self.t_external_draft()
        allocation.with_user(self.manager).action_request_approval()
        return allocation

    def t_external_confirmed(self):
        allocation = self.t_external_to_approve()
        allocation.with_user(self.approver2).action_approve()
        return allocation

    def t_external_confirmed_free(self):
        allocation = self._remember(
            self.env[ALLOC].create(
                {
                    "employee_id": self.xavier.id,
                    "project_id": self.project.id,
                    "date_start": MONDAY,
                    "date_end": FRIDAY_NEXT,
                    "allocated_hours": 8,
                    "external_justification": "Only SAP expert",
                }
            )
        )
        allocation.with_user(self.planner).action_request_approval()
        allocation.with_user(self.approver2).action_approve()
        return allocation

    def t_external_rejected(self):
        allocation = self.t_external_to_approve()
        allocation.with_user(self.approver2)._do_reject("Too expensive")
        return allocation

    def t_overbooking(self):
        self.allocate(self.bob, 80).with_user(self.planner).action_confirm()
        return self.t_internal_draft()

    def t_shared_consultant_allocation(self):
        hidden = self.env[ALLOC].create(
            {
                "employee_id": self.carol.id,
                "project_id": self.other_project.id,
                "date_start": MONDAY,
                "date_end": FRIDAY_NEXT,
                "allocated_hours": 80,
            }
        )
        hidden.with_user(self.planner).action_confirm()
        return self._remember(self.allocate(self.carol, 8))

    def t_entry(self):
        return self.env[ENTRY].create(_entry_vals(self))

    def t_line_shortlisted(self):
        self.request.technical_architect_id = self.architect
        self.t_entry()
        return self.line

    def t_line_review_asked(self):
        line = self.t_line_shortlisted()
        line.with_user(self.planner).action_request_review()
        return line

    def t_entry_review_asked(self):
        return self.t_line_review_asked().shortlist_entry_ids

    def t_entry_asked_by_architect(self):
        entry = self.t_entry_review_asked()
        self.request.technical_architect_id = self.planner
        return entry

    def t_entry_endorsed(self):
        entry = self.t_entry_review_asked()
        entry.with_user(self.architect).action_endorse("Knows the customer")
        return entry

    def t_allocation_endorsed(self):
        self.t_entry_endorsed()
        return self.t_alice_draft()

    # tests --------------------------------------------------------------------

    def test_attack_table(self):
        """Every attack of the table is refused, or its guarantee holds."""
        self.run_attacks(ATTACKS)

    def test_every_rule_is_attacked(self):
        """Each rule of the README has at least one row in the table."""
        # the rows on sister companies play on their own two-company fixture
        from .test_partner_portal import PORTAL_ATTACKS
        from .test_sharing import SHARING_ATTACKS

        attacked = {
            attack.rule for attack in ATTACKS + SHARING_ATTACKS + PORTAL_ATTACKS
        }
        self.assertEqual(set(RULES), attacked)

    def test_context_cannot_grant_facts(self):
        """No context key lets a caller write action-owned fields."""
        allocation = self.t_external_to_approve().with_user(self.manager)
        for key in ("grant", "staffing_granted_fields", "install_mode", "import_file"):
            with self.subTest(key=key), self.assertRaisesRegex(UserError, ACTIONS_ONLY):
                allocation.with_context(**{key: True}).write({"state": "confirmed"})
        self.assertEqual(allocation.state, "to_approve")

    def test_reopen_by_planner_still_works(self):
        """The planner's own action still reopens an unfillable position."""
        line = self.t_line_unfillable()
        line.with_user(self.planner).action_reopen()
        self.assertEqual(line.state, "open")

    def test_role_defaults_copied_for_salesperson(self):
        """A salesperson's new position gets its role's skills without edit rights."""
        line = (
            self.env[LINE]
            .with_user(self.user)
            .create(
                {
                    "request_id": self.request.id,
                    "role_id": self.role_architect.id,
                    "planned_hours": 16,
                }
            )
        )
        self.assertEqual(
            line.skill_requirement_ids.mapped("skill_id"),
            self.role_architect.skill_requirement_ids.mapped("skill_id"),
        )

    def test_partner_change_allowed_without_pending_work(self):
        """Attaching a consultant with only tentative work to a partner works."""
        self.allocate(self.carol, 8)
        self.carol.with_user(self.hr_officer).staffing_partner_id = self.partner_company
        self.assertTrue(self.carol.is_external)
        self.assertTrue(
            self.env[ALLOC].search([("employee_id", "=", self.carol.id)]).is_external
        )

    def test_line_requirements_editable_by_planner(self):
        """Planners adjust a position's required skills."""
        requirement = self.line.skill_requirement_ids[:1].with_user(self.planner)
        requirement.mandatory = False
        self.assertFalse(requirement.mandatory)
        self.env["staffing.skill.requirement"].with_user(self.planner).create(
            {
                "request_line_id": self.line.id,
                "skill_id": self.skill_data.id,
                "level_id": self.level_mid.id,
            }
        )
        self.assertIn(self.skill_data, self.line.skill_requirement_ids.skill_id)

    def test_dates_inside_bounds_accepted(self):
        """A five-year position within 2000-2099 is accepted."""
        line = (
            self.env[LINE]
            .with_user(self.user)
            .create(
                {
                    "request_id": self.request.id,
                    "role_id": self.role_architect.id,
                    "planned_hours": 8,
                    "date_start": date(2030, 1, 1),
                    "date_end": date(2034, 12, 31),
                }
            )
        )
        self.assertEqual(line.date_end, date(2034, 12, 31))
