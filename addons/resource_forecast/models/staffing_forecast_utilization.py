from odoo import fields, models, tools
from odoo.tools import SQL

from .staffing_forecast_line import CONSULTANT_HOURS_FIELDS

# id of a row: consultant id * MONTH_FACTOR + months since year 0 (< 100000
# until the year 8333), unique per consultant and month and the same on every
# read, unlike a row_number()
MONTH_FACTOR = 100000


class StaffingForecastUtilization(models.Model):
    """Per consultant and month: capacity, plan, billable share.

    One row per consultant and month, in the consultant's company (that of
    their capacity rows): the plan is summed over every company, so a
    consultant lent to a sister company shows the same utilization to both
    (the borrower reads it through the record rule of lending companies).
    """

    _name = "staffing.forecast.utilization"
    _description = "Consultant Utilization"
    _auto = False
    _order = "employee_id, date"
    # reading the view applies the forecast's queued refresh first
    _depends = {
        "staffing.forecast.line": [
            *CONSULTANT_HOURS_FIELDS,
            "project_id",
            "planned_hours",
            "actual_hours",
        ],
        "project.project": ["allow_billable"],
    }

    date = fields.Date(string="Month", readonly=True)
    employee_id = fields.Many2one(
        comodel_name="hr.employee", string="Consultant", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    is_external = fields.Boolean(string="External", readonly=True)
    capacity_hours = fields.Float(readonly=True)
    planned_confirmed_hours = fields.Float(string="Planned Confirmed", readonly=True)
    planned_tentative_hours = fields.Float(string="Planned Tentative", readonly=True)
    billable_hours = fields.Float(
        string="Billable Planned", readonly=True, help="Planned on billable projects."
    )
    actual_hours = fields.Float(readonly=True)
    utilization = fields.Float(
        string="Utilization (%)",
        readonly=True,
        aggregator="avg",
        help="Confirmed planned hours over capacity.",
    )
    billable_share = fields.Float(
        string="Billable Share (%)",
        readonly=True,
        aggregator="avg",
        help="Planned hours on billable projects over all planned hours.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS (
                WITH monthly AS (
                    SELECT fl.employee_id,
                           date_trunc('month', fl.date)::date AS date,
                           COALESCE(
                               MAX(fl.company_id)
                                   FILTER (WHERE fl.line_type = 'capacity'),
                               MAX(employee.company_id)) AS company_id,
                           bool_or(fl.is_external) AS is_external,
                           COALESCE(SUM(fl.capacity_hours), 0) AS capacity_hours,
                           COALESCE(SUM(fl.planned_confirmed_hours), 0)
                               AS planned_confirmed_hours,
                           COALESCE(SUM(fl.planned_tentative_hours), 0)
                               AS planned_tentative_hours,
                           COALESCE(SUM(CASE WHEN project.allow_billable
                                    THEN fl.planned_hours END), 0) AS billable_hours,
                           COALESCE(SUM(fl.planned_hours), 0) AS planned_hours,
                           COALESCE(SUM(fl.actual_hours), 0) AS actual_hours
                      FROM staffing_forecast_line fl
                      JOIN hr_employee employee ON employee.id = fl.employee_id
                 LEFT JOIN project_project project ON project.id = fl.project_id
                  GROUP BY 1, 2
                )
                SELECT employee_id::bigint * %(factor)s
                       + EXTRACT(YEAR FROM date)::bigint * 12
                       + EXTRACT(MONTH FROM date)::bigint - 1 AS id,
                       date, employee_id, company_id,
                       is_external, capacity_hours, planned_confirmed_hours,
                       planned_tentative_hours, billable_hours, actual_hours,
                       CASE WHEN capacity_hours > 0
                            THEN 100.0 * planned_confirmed_hours / capacity_hours
                            ELSE 0 END AS utilization,
                       CASE WHEN planned_hours > 0
                            THEN 100.0 * billable_hours / planned_hours
                            ELSE 0 END AS billable_share
                  FROM monthly
                )
                """,
                table=SQL.identifier(self._table),
                factor=MONTH_FACTOR,
            )
        )
