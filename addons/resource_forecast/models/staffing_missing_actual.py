from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# id of a row: (consultant * PROJECT_FACTOR + project) * WEEK_FACTOR + weeks
# since 2000-01-03 (a Monday): the same on every read
PROJECT_FACTOR = 10_000_000
WEEK_FACTOR = 10_000
EPOCH_MONDAY = "2000-01-03"


class StaffingMissingActual(models.Model):
    """Per consultant, project and past week: confirmed plan, nothing logged.

    Read from the forecast in one query: the week's confirmed planned hours on
    the project before today, and the hours logged on it that week, when none
    were. Logging a timesheet on the project that week makes the row disappear.
    Only the company's look-back (``staffing_missing_weeks``, 13 by default)
    counts: older weeks are closed, and the query reads those weeks only.
    """

    _name = "staffing.missing.actual"
    _description = "Missing Actuals"
    _auto = False
    _order = "week desc, employee_id, project_id"
    _depends = {
        "res.company": ["staffing_missing_weeks"],
        "staffing.forecast.line": [
            "employee_id",
            "project_id",
            "company_id",
            "date",
            "line_type",
            "planned_confirmed_hours",
            "actual_hours",
        ],
    }

    week = fields.Date(readonly=True, help="Monday of the week.")
    employee_id = fields.Many2one(
        comodel_name="hr.employee", string="Consultant", readonly=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Consultant's User", readonly=True
    )
    project_id = fields.Many2one(comodel_name="project.project", readonly=True)
    project_manager_id = fields.Many2one(
        comodel_name="res.users", string="Project Manager", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    planned_hours = fields.Float(string="Planned Confirmed", readonly=True)
    logged_hours = fields.Float(string="Logged", readonly=True)

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        monday = today - timedelta(days=today.weekday())
        # sudo: the longest look-back of any company bounds the scan
        companies = self.env["res.company"].sudo().search([])
        weeks = max(companies.mapped("staffing_missing_weeks") or [1])
        return SQL(
            """
            SELECT (line.employee_id::bigint * %(project_factor)s
                    + line.project_id) * %(week_factor)s
                   + (date_trunc('week', line.date)::date
                      - %(epoch)s::date) / 7 AS id,
                   date_trunc('week', line.date)::date AS week,
                   line.employee_id, resource.user_id, line.project_id,
                   project.user_id AS project_manager_id,
                   MAX(line.company_id) AS company_id,
                   SUM(line.planned_confirmed_hours) AS planned_hours,
                   COALESCE(SUM(line.actual_hours), 0) AS logged_hours
              FROM staffing_forecast_line line
              JOIN hr_employee employee ON employee.id = line.employee_id
              JOIN resource_resource resource ON resource.id = employee.resource_id
              JOIN project_project project ON project.id = line.project_id
              JOIN res_company company ON company.id = line.company_id
             WHERE line.date < %(today)s
               AND line.date >= %(since)s
               AND line.date >= %(monday)s::date - 7 * company.staffing_missing_weeks
               AND line.line_type IN ('planned', 'actual')
          GROUP BY 2, line.employee_id, resource.user_id, line.project_id,
                   project.user_id
            HAVING SUM(line.planned_confirmed_hours) > 0
               AND COALESCE(SUM(line.actual_hours), 0) = 0
            """,
            project_factor=PROJECT_FACTOR,
            week_factor=WEEK_FACTOR,
            epoch=EPOCH_MONDAY,
            today=today,
            monday=monday,
            since=monday - timedelta(weeks=weeks),
        )

    def action_remind(self):
        """Ask the consultants to log the missing weeks: one to-do per week."""
        if not self.env.user.has_group(
            "resource_sharing.group_planner"
        ) and not self.env.user.has_group("resource_forecast.group_finance"):
            raise UserError(self.env._("Only planners and finance remind consultants."))
        reminded = self._schedule_reminders()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._("%(count)s reminder(s) sent.", count=reminded),
            },
        }

    def _schedule_reminders(self):
        """A to-do on the project for each consultant with a user, once a week.

        :return: number of to-dos scheduled
        """
        todo = self.env.ref("mail.mail_activity_data_todo")
        count = 0
        # sudo: the consultant is told on a project they may not administer
        projects = self.sudo().project_id
        existing = {
            (activity.res_id, activity.user_id.id, activity.summary)
            for activity in self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "project.project"),
                    ("res_id", "in", projects.ids),
                    ("activity_type_id", "=", todo.id),
                ]
            )
        }
        for row in self:
            user = row.user_id
            if not user:
                continue
            summary = self.env._(
                "Log your hours of the week of %(week)s",
                week=fields.Date.to_string(row.week),
            )
            key = (row.project_id.id, user.id, summary)
            if key in existing:
                continue
            existing.add(key)
            row.project_id.sudo().activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                summary=summary,
                note=self.env._(
                    "%(hours)s confirmed hours were planned for you on %(project)s "
                    "that week and none are logged.",
                    hours=round(row.planned_hours, 2),
                    project=row.project_id.display_name,
                ),
                user_id=user.id,
                date_deadline=fields.Date.context_today(self),
            )
            count += 1
        return count

    @api.model
    def _cron_remind(self):
        """Weekly: remind the consultants of last week's missing actuals."""
        today = fields.Date.context_today(self)
        last_monday = today - timedelta(days=today.weekday() + 7)
        rows = self.sudo().search([("week", "=", last_monday)])
        return rows._schedule_reminders()
