from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date

from ..engine import load
from .staffing_allocation_shortlist import StaffingAllocationShortlist

LEAVE_ACTIVITY = "resource_sharing.mail_activity_type_leave"
# what the capacity changes of the transaction did, {allocation id: LeaveImpact}
IMPACT_KEY = "resource_sharing.leave_impact"
# fields of an allocation's plan: changing one re-plans the leave away
PLAN_FIELDS = frozenset({"employee_id", "date_start", "date_end", "allocated_hours"})
SUBSTITUTE_COUNT = 3


class StaffingAllocationRestaffing(models.Model):
    """Leave and public holidays that hit confirmed work ask the planner to act.

    The ledger says, per consultant and day, which confirmed hours a change of
    capacity took away; once per transaction the allocations hit keep the hours
    lost, their planners get a to-do with substitutes for the lost days and the
    engagement managers are told. The plan itself is the planner's to change.
    """

    _inherit = "staffing.allocation"

    _action_fields = StaffingAllocationShortlist._action_fields | {"leave_lost_hours"}

    leave_lost_hours = fields.Float(
        string="Hours Lost to Leave",
        readonly=True,
        copy=False,
        help="Confirmed hours that approved time off and public holidays took "
        "from this allocation since its consultant, period or hours last changed.",
    )

    def write(self, vals):
        replanned = (
            self.filtered("leave_lost_hours")
            if PLAN_FIELDS & set(vals)
            else self.browse()
        )
        result = super().write(vals)
        if replanned:
            replanned._write_action_values({"leave_lost_hours": 0.0})
        return result

    # ------------------------------------------------------------ leave impact

    @api.model
    def _note_leave_impact(self, before, after):
        """Remember what a capacity change did to confirmed work; act at commit.

        :param before: ``staffing.ledger._read_confirmed_days`` before the change
        :param after: the same days after it
        """
        impacts = load.leave_impacts(before, after)
        if not impacts:
            return
        precommit = self.env.cr.precommit
        if IMPACT_KEY not in precommit.data:
            precommit.data[IMPACT_KEY] = {}
            precommit.add(self._flush_leave_impacts)
        pending = precommit.data[IMPACT_KEY]
        for allocation_id, impact in impacts.items():
            total = pending.setdefault(allocation_id, load.LeaveImpact())
            total.lost += impact.lost
            total.regained += impact.regained
            total.days |= impact.days

    def _flush_leave_impacts(self):
        """One pass per transaction: hours lost, the planners' to-do, the news."""
        pending = self.env.cr.precommit.data.pop(IMPACT_KEY, {})
        # sudo: leave is approved by HR officers, who need not read the plan
        allocations = self.sudo().browse(list(pending)).exists()
        by_value = defaultdict(list)
        for allocation in allocations:
            impact = pending[allocation.id]
            lost = allocation.leave_lost_hours + impact.lost - impact.regained
            by_value[max(0.0, round(lost, 2))].append(allocation.id)
        for value, ids in by_value.items():
            allocations.browse(ids)._write_action_values({"leave_lost_hours": value})
        hit = allocations.filtered(
            lambda a: a.state == "confirmed" and pending[a.id].lost > load.EPSILON
        )
        hit._ask_restaffing(pending)
        hit._notify_leave_to_engagement_managers(pending)
        (allocations - hit).filtered(
            lambda a: pending[a.id].regained > load.EPSILON
        )._note_leave_withdrawn(pending)
        self.env.flush_all()

    def _note_leave_withdrawn(self, impacts):
        """Leave refused or holiday removed: say so; no loss left, no to-do left."""
        for allocation in self:
            allocation.message_post(
                body=self.env._(
                    "Time off or a public holiday was withdrawn: %(hours).1f h of "
                    "this allocation are back.",
                    hours=impacts[allocation.id].regained,
                )
            )
        self.filtered(lambda a: not a.leave_lost_hours).activity_unlink(
            [LEAVE_ACTIVITY]
        )

    def _ask_restaffing(self, impacts):
        """Each planner of the allocations gets a to-do with substitutes."""
        planners = self.env.ref("resource_sharing.group_planner").sudo().users
        for allocation in self:
            impact = impacts[allocation.id]
            users = allocation.request_id.planner_id or planners.filtered(
                lambda u, company=allocation.company_id: company in u.company_ids
            )
            note = allocation._get_restaffing_note(impact)
            for user in users:
                allocation.activity_schedule(
                    LEAVE_ACTIVITY,
                    user_id=user.id,
                    summary=self.env._(
                        "Re-staff %(hours).1f h lost to leave", hours=impact.lost
                    ),
                    note=note,
                )

    def _get_restaffing_note(self, impact):
        """What the planner's to-do says: the lost days and who could take them."""
        self.ensure_one()
        days = sorted(impact.days)
        text = self.env._(
            "%(employee)s is away on %(days)s: this allocation loses %(hours).1f h.",
            # sudo: a lent consultant belongs to a company the planner may not see
            employee=self.employee_id.sudo().name,
            days=", ".join(format_date(self.env, day) for day in days),
            hours=impact.lost,
        )
        if self.is_overloaded:
            text += " " + self.env._("The consultant is now over capacity.")
        note = Markup("<p>%s</p>") % text
        if not self.request_line_id:
            return note + Markup("<p>%s</p>") % self.env._(
                "It has no position to rank substitutes for."
            )
        substitutes = self._get_leave_substitutes(days, impact.lost)
        if not substitutes:
            return note + Markup("<p>%s</p>") % self.env._(
                "Nobody with the mandatory skills is free on those days."
            )
        items = Markup().join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(name)s: score %(score).1f, %(hours).1f h free",
                name=candidate["name"],
                score=candidate["score"],
                hours=candidate["available_hours"],
            )
            for candidate in substitutes
        )
        header = self.env._("Proposed substitutes for those days:")
        return note + Markup("<p>%s</p><ul>%s</ul>") % (header, items)

    def _get_leave_substitutes(self, days, hours):
        """The best ranked consultants with free hours on the lost days."""
        line = self.request_line_id
        first, last = max(days[0], line.date_start), min(days[-1], line.date_end)
        if first > last:
            return []
        candidates = line.get_candidates(
            limit=SUBSTITUTE_COUNT + 1, date_from=first, date_to=last, hours=hours
        )
        return [
            candidate
            for candidate in candidates
            if candidate["employee_id"] != self.employee_id.id
            and candidate["available_hours"] > 0
        ][:SUBSTITUTE_COUNT]

    def _notify_leave_to_engagement_managers(self, impacts):
        """One message per request, to its engagement manager; no plan changes."""
        for request in self.request_id:
            allocations = self.filtered(lambda a, r=request: a.request_id == r)
            items = Markup().join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(name)s: %(hours).1f h lost%(over)s",
                    name=allocation.display_name,
                    hours=impacts[allocation.id].lost,
                    over=self.env._(", now over capacity")
                    if allocation.is_overloaded
                    else "",
                )
                for allocation in allocations
            )
            header = self.env._(
                "Time off or a public holiday hits confirmed work on %(name)s; "
                "the planner was asked to propose substitutes, the plan is "
                "unchanged.",
                name=request.display_name,
            )
            request.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>") % (header, items),
                partner_ids=request.engagement_manager_id.partner_id.ids,
                subtype_xmlid="resource_sharing.mt_request_leave",
            )
