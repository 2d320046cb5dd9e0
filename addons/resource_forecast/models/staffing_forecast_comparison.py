from odoo import fields, models, tools
from odoo.tools import SQL

FINANCE = "resource_forecast.group_finance"
# Ids that stay the same between two reads: a snapshot row has the id of its
# snapshot line (below 2**31); a row of the current forecast, 60 bits of the
# md5 of its keys (snapshot, month, project, customer, role, consultant,
# company) above 2**31, so the two never meet.
HASH_OFFSET = 2**31


class StaffingForecastComparison(models.Model):
    """A snapshot next to the current forecast and the actuals, per month."""

    _name = "staffing.forecast.comparison"
    _description = "Forecast Drift and Accuracy"
    _auto = False
    _order = "date"
    # reading the view applies the forecast's queued refresh first
    _depends = {
        "staffing.forecast.line": [
            "company_id",
            "project_id",
            "partner_id",
            "role_id",
            "employee_id",
            "date",
            "line_type",
            "planned_hours",
            "actual_hours",
            "revenue",
        ],
        "staffing.forecast.snapshot": ["company_id", "month"],
    }

    snapshot_id = fields.Many2one(
        comodel_name="staffing.forecast.snapshot", readonly=True
    )
    date = fields.Date(string="Month", readonly=True)
    project_id = fields.Many2one(comodel_name="project.project", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    role_id = fields.Many2one(comodel_name="staffing.role", readonly=True)
    employee_id = fields.Many2one(
        comodel_name="hr.employee", string="Consultant", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    snapshot_hours = fields.Float(string="Planned in Snapshot", readonly=True)
    current_hours = fields.Float(string="Planned Now", readonly=True)
    drift_hours = fields.Float(
        string="Drift", readonly=True, help="Planned now minus planned in the snapshot."
    )
    actual_hours = fields.Float(readonly=True)
    accuracy_gap_hours = fields.Float(
        string="Actual minus Snapshot",
        readonly=True,
        help="For past months: logged hours minus the hours the snapshot planned.",
    )
    snapshot_revenue = fields.Monetary(readonly=True, groups=FINANCE)
    current_revenue = fields.Monetary(readonly=True, groups=FINANCE)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS (
                WITH current_month AS (
                    SELECT company_id, project_id, partner_id, role_id, employee_id,
                           date_trunc('month', date)::date AS date,
                           COALESCE(SUM(planned_hours), 0) AS planned_hours,
                           COALESCE(SUM(actual_hours), 0) AS actual_hours,
                           COALESCE(SUM(revenue), 0) AS revenue
                      FROM staffing_forecast_line
                     WHERE line_type IN ('planned', 'actual')
                  GROUP BY 1, 2, 3, 4, 5, 6
                ), side_by_side AS (
                    SELECT sl.id::bigint AS id, sl.snapshot_id, sl.date,
                           sl.project_id, sl.partner_id, sl.role_id,
                           sl.employee_id, sl.company_id,
                           COALESCE(sl.planned_hours, 0) AS snapshot_hours,
                           0.0 AS current_hours, 0.0 AS actual_hours,
                           COALESCE(sl.revenue, 0) AS snapshot_revenue,
                           0.0 AS current_revenue
                      FROM staffing_forecast_snapshot_line sl
                     WHERE sl.line_type = 'planned'
                    UNION ALL
                    SELECT %(hash_offset)s + (
                               'x' || substr(md5(concat_ws(
                                   '|', s.id, cm.date, COALESCE(cm.project_id, 0),
                                   COALESCE(cm.partner_id, 0), COALESCE(cm.role_id, 0),
                                   cm.employee_id, cm.company_id
                               )), 1, 15)
                           )::bit(60)::bigint,
                           s.id, cm.date, cm.project_id, cm.partner_id, cm.role_id,
                           cm.employee_id, cm.company_id, 0.0, cm.planned_hours,
                           cm.actual_hours, 0.0, cm.revenue
                      FROM current_month cm
                      JOIN staffing_forecast_snapshot s
                        ON s.company_id = cm.company_id AND cm.date >= s.month
                )
                SELECT id, snapshot_id, date, project_id,
                       partner_id, role_id, employee_id, company_id, snapshot_hours,
                       current_hours, current_hours - snapshot_hours AS drift_hours,
                       actual_hours,
                       CASE WHEN date < date_trunc('month', CURRENT_DATE)
                            THEN actual_hours - snapshot_hours ELSE 0.0
                       END AS accuracy_gap_hours,
                       snapshot_revenue, current_revenue
                  FROM side_by_side
                )
                """,
                table=SQL.identifier(self._table),
                hash_offset=HASH_OFFSET,
            )
        )
