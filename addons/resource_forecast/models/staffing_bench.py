from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.resource_sharing.engine import ranking

from .staffing_forecast_line import CONSULTANT_HOURS_FIELDS

# how far the bench looks ahead, unless the action's context says otherwise
BENCH_WEEKS = 4


class StaffingBench(models.Model):
    """Consultants with free hours in the coming weeks.

    One row per consultant, summed in one query from the forecast: capacity
    minus confirmed planned hours from today on (the rows of one kind leave the
    other kind's measures empty, hence the COALESCE). The id is the
    consultant's; the company is the consultant's, and the plan counts every
    company's allocations, so a lent consultant's bench is the same for the
    lender and the borrower.
    """

    _name = "staffing.bench"
    _description = "Consultant on the Bench"
    _auto = False
    _order = "free_hours desc, employee_id"
    # reading the bench applies the forecast's queued refresh first
    _depends = {
        "staffing.forecast.line": list(CONSULTANT_HOURS_FIELDS),
        "hr.employee": ["active"],
    }

    employee_id = fields.Many2one(
        comodel_name="hr.employee", string="Consultant", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    job_title = fields.Char(related="employee_id.job_title")
    is_external = fields.Boolean(string="External", readonly=True)
    skills = fields.Char(compute="_compute_skills")
    skill_ids = fields.Many2many(
        comodel_name="hr.skill",
        string="Skill",
        compute="_compute_skills",
        search="_search_skill_ids",
    )
    capacity_hours = fields.Float(readonly=True)
    planned_hours = fields.Float(string="Planned Confirmed", readonly=True)
    tentative_hours = fields.Float(
        string="Planned Tentative",
        readonly=True,
        help="Tentative bookings do not take free hours; shown for information.",
    )
    free_hours = fields.Float(
        readonly=True, help="Capacity minus confirmed planned hours in the period."
    )

    @property
    def _table_query(self):
        date_from, date_to = self._get_bench_period()
        return SQL(
            """
            SELECT line.employee_id AS id, line.employee_id,
                   COALESCE(
                       MAX(line.company_id) FILTER (WHERE line.line_type = 'capacity'),
                       MAX(employee.company_id)) AS company_id,
                   bool_or(line.is_external) AS is_external,
                   COALESCE(SUM(line.capacity_hours), 0) AS capacity_hours,
                   COALESCE(SUM(line.planned_confirmed_hours), 0) AS planned_hours,
                   COALESCE(SUM(line.planned_tentative_hours), 0) AS tentative_hours,
                   COALESCE(SUM(line.capacity_hours), 0)
                       - COALESCE(SUM(line.planned_confirmed_hours), 0) AS free_hours
              FROM staffing_forecast_line line
              JOIN hr_employee employee
                ON employee.id = line.employee_id AND employee.active
             WHERE line.date BETWEEN %s AND %s
          GROUP BY line.employee_id
            HAVING COALESCE(SUM(line.capacity_hours), 0)
                   > COALESCE(SUM(line.planned_confirmed_hours), 0)
            """,
            date_from,
            date_to,
        )

    @api.depends("employee_id")
    def _compute_skills(self):
        # sudo: skill levels of colleagues are HR data; the bench shows names only
        for bench in self:
            employee_skills = bench.employee_id.sudo().employee_skill_ids
            bench.skills = ", ".join(employee_skills.mapped("display_name"))
            bench.skill_ids = employee_skills.skill_id

    def _search_skill_ids(self, operator, value):
        # sudo: who holds a skill is what the bench is searched for
        employee_skills = (
            self.env["hr.employee.skill"]
            .sudo()
            ._search([("skill_id", operator, value)])
        )
        return [("employee_id", "in", employee_skills.subselect("employee_id"))]

    def action_open_positions(self):
        """Open positions this consultant meets the mandatory skills of."""
        self.ensure_one()
        date_from = self._get_bench_period()[0]
        lines = self.env["staffing.request.line"].search(
            [
                ("state", "in", ("open", "partial")),
                ("request_state", "in", ("submitted", "in_progress", "staffed")),
                ("date_end", ">=", date_from),
                ("company_id", "=", self.company_id.id),
            ]
        )
        # sudo: skill levels are HR data; only the fit is shown
        skills = {
            skill.skill_id.id: skill.level_progress
            for skill in self.employee_id.sudo().employee_skill_ids
        }
        fitting = lines.filtered(
            lambda line: not ranking.missing_mandatory(skills, line._get_skill_needs())
        )
        action = self.env["ir.actions.actions"]._for_xml_id(
            "resource_sharing.staffing_request_line_action"
        )
        action["domain"] = [("id", "in", fitting.ids)]
        action["context"] = {}
        action["name"] = action["display_name"] = self.env._(
            "Open positions for %(employee)s", employee=self.employee_id.name
        )
        return action

    @api.model
    def _get_bench_period(self):
        """Today and the last day of the weeks the bench looks at."""
        today = fields.Date.context_today(self)
        try:
            weeks = int(self.env.context.get("bench_weeks") or BENCH_WEEKS)
        except (TypeError, ValueError):
            weeks = BENCH_WEEKS
        weeks = min(max(weeks, 1), 52)
        return today, today + timedelta(weeks=weeks, days=-1)
