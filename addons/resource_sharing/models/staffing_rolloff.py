from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, clean_context, html_escape

from ..engine import ranking
from .staffing_ledger import LEDGER_HOURS_FIELDS

# free hours are counted over the four weeks after the roll-off
FREE_DAYS = 28
# a position "starts around then": from two weeks before the consultant is free
# to four weeks after
MATCH_BEFORE_DAYS = 14
MATCH_AFTER_DAYS = 28
POSITION_STATES = ("open", "partial")
REQUEST_STATES = ("submitted", "in_progress", "staffed")


class StaffingRolloff(models.Model):
    """Consultants whose confirmed work ends soon, with free hours after it.

    One row per consultant, read in one query: the last day of their confirmed
    allocations falls within the company's roll-off horizon (weeks), and the
    ledger has free hours (capacity minus every booking) in the four weeks
    after it. Each row is matched with the open positions starting around
    then whose mandatory skills the consultant has, best score first (the
    ranking of the candidates dialog).
    """

    _name = "staffing.rolloff"
    _description = "Roll-off Radar"
    _auto = False
    _order = "rolloff_date, employee_id"
    _depends = {
        "staffing.allocation": ["employee_id", "state", "date_end"],
        "staffing.ledger": list(LEDGER_HOURS_FIELDS),
        "hr.employee": ["active", "company_id"],
        "res.company": ["staffing_rolloff_weeks"],
    }

    employee_id = fields.Many2one(
        comodel_name="hr.employee", string="Consultant", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    job_title = fields.Char(related="employee_id.job_title")
    is_external = fields.Boolean(string="External", readonly=True)
    rolloff_date = fields.Date(
        string="Rolls Off", readonly=True, help="Last day of confirmed work."
    )
    free_from = fields.Date(readonly=True)
    free_hours = fields.Float(
        readonly=True,
        help="Free hours in the four weeks from the roll-off: capacity minus "
        "confirmed and tentative bookings.",
    )
    match_ids = fields.Many2many(
        comodel_name="staffing.request.line",
        string="Matching Positions",
        compute="_compute_matches",
    )
    match_count = fields.Integer(compute="_compute_matches")
    best_position_id = fields.Many2one(
        comodel_name="staffing.request.line",
        string="Best Match",
        compute="_compute_matches",
    )
    best_score = fields.Float(compute="_compute_matches")

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        return SQL(
            """
            WITH ends AS (
                SELECT allocation.employee_id, MAX(allocation.date_end) AS last_end
                  FROM staffing_allocation allocation
                 WHERE allocation.state = 'confirmed'
              GROUP BY allocation.employee_id
                HAVING MAX(allocation.date_end) >= %(today)s
            )
            SELECT ends.employee_id AS id, ends.employee_id,
                   employee.company_id, employee.is_external,
                   ends.last_end AS rolloff_date,
                   ends.last_end + 1 AS free_from,
                   ROUND(SUM(GREATEST(ledger.capacity_hours
                                      - ledger.confirmed_hours
                                      - ledger.tentative_hours, 0))::numeric, 2)
                       ::float AS free_hours
              FROM ends
              JOIN hr_employee employee
                ON employee.id = ends.employee_id AND employee.active
              JOIN res_company company ON company.id = employee.company_id
              JOIN staffing_ledger ledger
                ON ledger.employee_id = ends.employee_id
               AND ledger.date BETWEEN ends.last_end + 1
                                   AND ends.last_end + %(free_days)s
             WHERE ends.last_end
                   <= %(today)s::date + 7 * company.staffing_rolloff_weeks
          GROUP BY ends.employee_id, employee.company_id, employee.is_external,
                   ends.last_end
            HAVING SUM(GREATEST(ledger.capacity_hours - ledger.confirmed_hours
                                - ledger.tentative_hours, 0)) > 0
            """,
            today=today,
            free_days=FREE_DAYS,
        )

    @api.depends("employee_id", "free_from")
    def _compute_matches(self):
        """Score each consultant on the positions starting around their roll-off.

        One ranking per position, over every consultant of the batch that it
        fits: the query count follows the positions, not the consultants.
        """
        matches = {row.id: [] for row in self}
        rows = self.filtered("free_from")
        if rows:
            positions = self._get_candidate_positions(rows)
            # sudo: skill levels are HR data; only the fit is shown
            skills = positions[:1]._get_employee_skill_progress(rows.employee_id.sudo())
            Agreement = self.env["staffing.sharing.agreement"]
            for position in positions:
                needs = position._get_skill_needs()
                lenders = Agreement._get_lenders(position.company_id)
                fitting = rows.filtered(
                    lambda row, position=position, needs=needs, lenders=lenders: (
                        row._starts_around(position)
                        and (
                            row.company_id == position.company_id
                            or (row.company_id.id in lenders and not row.is_external)
                        )
                        and not ranking.missing_mandatory(
                            skills.get(row.employee_id.id, {}), needs
                        )
                    )
                )
                if not fitting:
                    continue
                facts = position._get_candidate_facts(fitting.employee_id.sudo())
                by_employee = {row.employee_id.id: row for row in fitting}
                for fact in facts:
                    score = ranking.score_candidate(fact, needs)
                    matches[by_employee[fact.employee_key].id].append(
                        (score.total, position)
                    )
        for row in self:
            ranked = sorted(matches[row.id], key=lambda m: (-m[0], m[1].id))
            row.match_ids = [position.id for _score, position in ranked]
            row.match_count = len(ranked)
            row.best_position_id = ranked[0][1] if ranked else False
            row.best_score = ranked[0][0] if ranked else 0.0

    def _starts_around(self, position):
        return (
            self.free_from - timedelta(days=MATCH_BEFORE_DAYS)
            <= position.date_start
            <= self.free_from + timedelta(days=MATCH_AFTER_DAYS)
        )

    def _get_candidate_positions(self, rows):
        first = min(rows.mapped("free_from"))
        last = max(rows.mapped("free_from"))
        return self.env["staffing.request.line"].search(
            [
                ("state", "in", POSITION_STATES),
                ("request_id.state", "in", REQUEST_STATES),
                ("date_start", ">=", first - timedelta(days=MATCH_BEFORE_DAYS)),
                ("date_start", "<=", last + timedelta(days=MATCH_AFTER_DAYS)),
            ],
            order="date_start, id",
        )

    # ----------------------------------------------------------------- actions

    def _check_planner(self):
        if not self.env.user.has_group("resource_sharing.group_planner"):
            raise UserError(
                self.env._("Only planners staff consultants from the radar.")
            )

    def _no_match_error(self):
        return UserError(
            self.env._(
                "No open position starting around %(date)s fits %(employee)s.",
                date=fields.Date.to_string(self.free_from),
                employee=self.employee_id.name,
            )
        )

    def action_view_matches(self):
        """The open positions this consultant fits, around the roll-off."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "resource_sharing.staffing_request_line_action"
        )
        action["domain"] = [("id", "in", self.match_ids.ids)]
        action["context"] = {}
        action["name"] = action["display_name"] = self.env._(
            "Positions for %(employee)s", employee=self.employee_id.name
        )
        return action

    def action_find_candidates(self):
        """The candidates dialog of the best matching position."""
        self.ensure_one()
        if not self.best_position_id:
            raise self._no_match_error()
        return self.best_position_id.action_find_candidates()

    def action_allocate_best(self):
        """Book the consultant tentatively on the best match (the normal path)."""
        self.ensure_one()
        self._check_planner()
        position = self.best_position_id
        if not position:
            raise self._no_match_error()
        hours = min(position.remaining_hours, self.free_hours)
        allocation = (
            self.env["staffing.allocation"]
            .with_env(self.env(context=clean_context(self.env.context)))
            .create(
                {
                    "employee_id": self.employee_id.id,
                    "request_line_id": position.id,
                    "allocated_hours": round(hours, 2),
                }
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "staffing.allocation",
            "res_id": allocation.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------ digest

    @api.model
    def _cron_send_digest(self):
        """Weekly: tell each company's planners who rolls off, and what fits.

        One e-mail per company to its planners, and a to-do per consultant for
        the planner of their last request (else the company's first planner),
        not repeated while one is open.
        """
        planner_group = self.env.ref("resource_sharing.group_planner")
        activity_type = self.env.ref("resource_sharing.mail_activity_type_rolloff")
        # sudo: the scheduled action reads every company's radar
        radar = self.sudo()
        for company in self.env["res.company"].sudo().search([]):
            rows = radar.with_company(company).search([("company_id", "=", company.id)])
            planners = planner_group.users.filtered(
                lambda user, company=company: (
                    company in user.company_ids and user.active and not user.share
                )
            )
            if not rows or not planners:
                continue
            self._send_digest_mail(company, rows, planners)
            rows._schedule_rolloff_activities(activity_type, planners)

    @api.model
    def _send_digest_mail(self, company, rows, planners):
        lines = "".join(
            "<li>{}</li>".format(
                html_escape(
                    self.env._(
                        "%(employee)s: free from %(date)s, %(hours)s h in four "
                        "weeks; best match: %(position)s",
                        employee=row.employee_id.name,
                        date=fields.Date.to_string(row.free_from),
                        hours=round(row.free_hours, 1),
                        position=row.best_position_id.display_name
                        or self.env._("none"),
                    )
                )
            )
            for row in rows
        )
        subject = self.env._(
            "Roll-off radar of %(company)s: %(count)s consultant(s)",
            company=company.name,
            count=len(rows),
        )
        return (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": subject,
                    "body_html": f"<p>{html_escape(subject)}</p><ul>{lines}</ul>",
                    "recipient_ids": [fields.Command.set(planners.partner_id.ids)],
                    "email_from": company.email_formatted
                    or self.env.user.email_formatted,
                    "auto_delete": True,
                }
            )
        )

    def _schedule_rolloff_activities(self, activity_type, planners):
        """A to-do per consultant of these rows, for the planner of their last
        confirmed request (else the first planner), not repeated while one is
        open. A fixed number of queries for the whole digest."""
        employees = self.employee_id.sudo()
        # sudo: the scheduled action sees every consultant's to-dos
        busy = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "hr.employee"),
                    ("res_id", "in", employees.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        last_planner = self._get_last_planners(employees.ids)
        model_id = self.env["ir.model"]._get_id("hr.employee")
        values = []
        for row in self.filtered(lambda row: row.employee_id.id not in busy):
            planner = planners.browse(last_planner.get(row.employee_id.id))
            if planner not in planners:
                planner = planners[:1]
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": row.employee_id.id,
                    "activity_type_id": activity_type.id,
                    "user_id": planner.id,
                    "date_deadline": row.rolloff_date,
                    "summary": self.env._(
                        "Free from %(date)s: %(hours)s h in four weeks",
                        date=fields.Date.to_string(row.free_from),
                        hours=round(row.free_hours, 1),
                    ),
                    "note": self.env._(
                        "Best match: %(position)s",
                        position=row.best_position_id.display_name,
                    )
                    if row.best_position_id
                    else self.env._("No open position fits yet."),
                }
            )
        return self.env["mail.activity"].sudo().create(values)

    def _get_last_planners(self, employee_ids):
        """{consultant id: planner of the request of their confirmed allocation
        that ends last}, in one query."""
        if not employee_ids:
            return {}
        self.env["staffing.allocation"].flush_model(
            ["employee_id", "state", "date_end", "request_line_id"]
        )
        self.env["staffing.request.line"].flush_model(["request_id"])
        self.env["staffing.request"].flush_model(["planner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (allocation.employee_id)
                       allocation.employee_id, request.planner_id
                  FROM staffing_allocation allocation
             LEFT JOIN staffing_request_line line
                    ON line.id = allocation.request_line_id
             LEFT JOIN staffing_request request ON request.id = line.request_id
                 WHERE allocation.employee_id IN %(employees)s
                   AND allocation.state = 'confirmed'
              ORDER BY allocation.employee_id, allocation.date_end DESC,
                       allocation.id DESC
                """,
                employees=tuple(employee_ids),
            )
        )
        return dict(self.env.cr.fetchall())
