from odoo import fields, models, tools
from odoo.tools import SQL


class StaffingForecastUtilization(models.Model):
    """Per consultant and month: capacity, plan, billable share."""

    _name = "staffing.forecast.utilization"
    _description = "Consultant Utilization"
    _auto = False
    _order = "date, employee_id"

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
                    SELECT fl.employee_id, fl.company_id, fl.is_external,
                           date_trunc('month', fl.date)::date AS date,
                           SUM(fl.capacity_hours) AS capacity_hours,
                           SUM(fl.planned_confirmed_hours) AS planned_confirmed_hours,
                           SUM(fl.planned_tentative_hours) AS planned_tentative_hours,
                           SUM(CASE WHEN project.allow_billable
                                    THEN fl.planned_hours ELSE 0 END) AS billable_hours,
                           SUM(fl.planned_hours) AS planned_hours,
                           SUM(fl.actual_hours) AS actual_hours
                      FROM staffing_forecast_line fl
                 LEFT JOIN project_project project ON project.id = fl.project_id
                  GROUP BY 1, 2, 3, 4
                )
                SELECT row_number() OVER () AS id, date, employee_id, company_id,
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
            )
        )
