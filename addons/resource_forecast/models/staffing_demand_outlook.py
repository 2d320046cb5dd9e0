from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.resource_sharing.models.staffing_ledger import LEDGER_HOURS_FIELDS

FINANCE = "resource_forecast.group_finance"
# how many months the outlook shows, from the current one
OUTLOOK_MONTHS = 12
# id of a row: ((company * ROLE_FACTOR) + role) * MONTH_FACTOR + months since
# year 0: the same on every read, unlike a row_number()
ROLE_FACTOR = 1_000_000
MONTH_FACTOR = 100_000


class StaffingDemandOutlook(models.Model):
    """Per company, role and month: the demand for a profile next to its supply.

    Demand is what is still to staff on open positions, the tentative and the
    confirmed plan, and the pipeline (quotations in draft or sent whose
    products have a staffing role), weighted by their win probability. Supply
    is the free capacity (capacity minus every booking) of the consultants who
    have the role's mandatory skills, internal and partner consultants apart; a
    consultant who fits several roles counts in each of them.

    Hours spread over a period count per month in proportion to its days.
    Everything comes from one query over the ledger, positions and quotations.
    """

    _name = "staffing.demand.outlook"
    _description = "Demand Outlook"
    _auto = False
    _order = "date, role_id"
    _depends = {
        "staffing.ledger": list(LEDGER_HOURS_FIELDS),
        "staffing.ledger.booking": ["allocation_id", "date", "hours", "is_confirmed"],
        "staffing.request.line": [
            "role_id",
            "remaining_hours",
            "date_start",
            "date_end",
            "state",
            "company_id",
        ],
        "sale.order": ["state", "staffing_probability"],
    }

    date = fields.Date(string="Month", readonly=True)
    role_id = fields.Many2one(comodel_name="staffing.role", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    open_hours = fields.Float(
        string="To Staff", readonly=True, help="Hours still to book on open positions."
    )
    tentative_hours = fields.Float(string="Planned Tentative", readonly=True)
    confirmed_hours = fields.Float(string="Planned Confirmed", readonly=True)
    pipeline_hours = fields.Float(
        string="Pipeline (weighted)",
        readonly=True,
        help="Hours of quotations not yet signed, times their win probability.",
    )
    demand_hours = fields.Float(string="Demand", readonly=True)
    supply_internal_hours = fields.Float(string="Free Internal", readonly=True)
    supply_partner_hours = fields.Float(string="Free Partner", readonly=True)
    supply_hours = fields.Float(
        string="Supply",
        readonly=True,
        help="Free capacity of consultants who have the role's mandatory skills.",
    )
    shortage_hours = fields.Float(
        string="Shortage",
        readonly=True,
        help="Demand still to staff (to staff and pipeline) above the free supply.",
    )
    is_shortage = fields.Boolean(string="Shortage Month", readonly=True)
    pipeline_revenue = fields.Monetary(
        string="Pipeline Revenue (weighted)", readonly=True, groups=FINANCE
    )

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        start = today.replace(day=1)
        end = start + relativedelta(months=OUTLOOK_MONTHS, days=-1)
        return SQL(
            """
            WITH months AS (
                SELECT month::date, (month + interval '1 month - 1 day')::date
                           AS month_end
                  FROM generate_series(%(start)s::date, %(end)s::date,
                                       interval '1 month') AS month
            ),
            positions AS (
                SELECT line.company_id, line.role_id, m.month,
                       line.remaining_hours
                       * (LEAST(line.date_end, m.month_end)
                          - GREATEST(line.date_start, m.month) + 1)
                       / (line.date_end - line.date_start + 1) AS hours
                  FROM staffing_request_line line
                  JOIN staffing_request request ON request.id = line.request_id
                  JOIN months m
                    ON m.month <= line.date_end AND m.month_end >= line.date_start
                 WHERE line.state IN ('open', 'partial')
                   AND request.state IN ('submitted', 'in_progress', 'staffed')
                   AND line.role_id IS NOT NULL
                   AND line.remaining_hours > 0
            ),
            plan AS (
                SELECT allocation.company_id, allocation.role_id,
                       date_trunc('month', booking.date)::date AS month,
                       SUM(booking.hours) FILTER (WHERE booking.is_confirmed)
                           AS confirmed,
                       SUM(booking.hours) FILTER (WHERE NOT booking.is_confirmed)
                           AS tentative
                  FROM staffing_ledger_booking booking
                  JOIN staffing_allocation allocation
                    ON allocation.id = booking.allocation_id
                 WHERE booking.date BETWEEN %(start)s AND %(end)s
                   AND allocation.role_id IS NOT NULL
              GROUP BY 1, 2, 3
            ),
            quotes AS (
                SELECT so.company_id, tmpl.staffing_role_id AS role_id,
                       COALESCE(sol.staffing_date_start, so.staffing_date_start)
                           AS date_start,
                       COALESCE(sol.staffing_date_end, so.staffing_date_end)
                           AS date_end,
                       sol.product_uom_qty / uom.factor * hour.factor
                           * %(probability)s / 100.0 AS hours,
                       sol.price_subtotal * %(probability)s / 100.0 AS revenue
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  %(lead_join)s
                  JOIN product_product product ON product.id = sol.product_id
                  JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
                  JOIN uom_uom uom ON uom.id = sol.product_uom
                  JOIN uom_uom hour ON hour.id = %(hour)s
                 WHERE so.state IN ('draft', 'sent')
                   AND tmpl.staffing_role_id IS NOT NULL
                   AND uom.category_id = hour.category_id
                   AND COALESCE(sol.staffing_date_start, so.staffing_date_start)
                       IS NOT NULL
                   AND COALESCE(sol.staffing_date_end, so.staffing_date_end)
                       >= COALESCE(sol.staffing_date_start, so.staffing_date_start)
            ),
            pipeline AS (
                SELECT q.company_id, q.role_id, m.month,
                       (LEAST(q.date_end, m.month_end)
                        - GREATEST(q.date_start, m.month) + 1)::float
                       / (q.date_end - q.date_start + 1) AS share,
                       q.hours, q.revenue
                  FROM quotes q
                  JOIN months m
                    ON m.month <= q.date_end AND m.month_end >= q.date_start
            ),
            fitting AS (
                -- consultants holding every mandatory skill of a role
                SELECT role.id AS role_id, employee.id AS employee_id,
                       employee.company_id, employee.is_external
                  FROM staffing_role role
                  JOIN hr_employee employee
                    ON employee.active
                   AND (role.company_id IS NULL
                        OR role.company_id = employee.company_id)
                 WHERE role.active
                   AND NOT EXISTS (
                       SELECT 1
                         FROM staffing_skill_requirement req
                         JOIN hr_skill_level need ON need.id = req.level_id
                        WHERE req.role_id = role.id AND req.mandatory
                          AND NOT EXISTS (
                              SELECT 1
                                FROM hr_employee_skill held
                                JOIN hr_skill_level level
                                  ON level.id = held.skill_level_id
                               WHERE held.employee_id = employee.id
                                 AND held.skill_id = req.skill_id
                                 AND level.level_progress >= need.level_progress))
            ),
            free AS (
                SELECT ledger.employee_id,
                       date_trunc('month', ledger.date)::date AS month,
                       SUM(GREATEST(ledger.capacity_hours - ledger.confirmed_hours
                                    - ledger.tentative_hours, 0)) AS hours
                  FROM staffing_ledger ledger
                 WHERE ledger.date BETWEEN %(start)s AND %(end)s
              GROUP BY 1, 2
            ),
            supply AS (
                SELECT f.company_id, f.role_id, free.month,
                       SUM(free.hours) FILTER (WHERE NOT f.is_external) AS internal,
                       SUM(free.hours) FILTER (WHERE f.is_external) AS partner
                  FROM fitting f
                  JOIN free ON free.employee_id = f.employee_id
              GROUP BY 1, 2, 3
            ),
            facts AS (
                SELECT company_id, role_id, month, hours AS open_hours,
                       0.0 AS tentative, 0.0 AS confirmed, 0.0 AS pipeline,
                       0.0 AS revenue, 0.0 AS internal, 0.0 AS partner
                  FROM positions
                UNION ALL
                SELECT company_id, role_id, month, 0, COALESCE(tentative, 0),
                       COALESCE(confirmed, 0), 0, 0, 0, 0
                  FROM plan
                UNION ALL
                SELECT company_id, role_id, month, 0, 0, 0, hours * share,
                       revenue * share, 0, 0
                  FROM pipeline
                UNION ALL
                SELECT company_id, role_id, month, 0, 0, 0, 0, 0,
                       COALESCE(internal, 0), COALESCE(partner, 0)
                  FROM supply
            ),
            summed AS (
                SELECT company_id, role_id, month,
                       SUM(open_hours) AS open_hours, SUM(tentative) AS tentative,
                       SUM(confirmed) AS confirmed, SUM(pipeline) AS pipeline,
                       SUM(revenue) AS revenue, SUM(internal) AS internal,
                       SUM(partner) AS partner
                  FROM facts
                 WHERE company_id IS NOT NULL
              GROUP BY 1, 2, 3
            )
            SELECT ((company_id::bigint * %(role_factor)s) + role_id) * %(month_factor)s
                       + EXTRACT(YEAR FROM month)::bigint * 12
                       + EXTRACT(MONTH FROM month)::bigint - 1 AS id,
                   company_id, role_id, month AS date,
                   ROUND(open_hours::numeric, 2)::float AS open_hours,
                   ROUND(tentative::numeric, 2)::float AS tentative_hours,
                   ROUND(confirmed::numeric, 2)::float AS confirmed_hours,
                   ROUND(pipeline::numeric, 2)::float AS pipeline_hours,
                   ROUND((open_hours + tentative + confirmed + pipeline)::numeric, 2)
                       ::float AS demand_hours,
                   ROUND(internal::numeric, 2)::float AS supply_internal_hours,
                   ROUND(partner::numeric, 2)::float AS supply_partner_hours,
                   ROUND((internal + partner)::numeric, 2)::float AS supply_hours,
                   ROUND(GREATEST(open_hours + pipeline - internal - partner, 0)
                         ::numeric, 2)::float AS shortage_hours,
                   open_hours + pipeline > internal + partner + 0.005 AS is_shortage,
                   ROUND(revenue::numeric, 2)::float AS pipeline_revenue
              FROM summed
             WHERE open_hours + tentative + confirmed + pipeline > 0
            """,
            start=start,
            end=end,
            probability=self._probability_sql(),
            lead_join=self._lead_join_sql(),
            hour=self.env.ref("uom.product_uom_hour").id,
            role_factor=ROLE_FACTOR,
            month_factor=MONTH_FACTOR,
        )

    @api.model
    def _has_crm(self):
        return "opportunity_id" in self.env["sale.order"]._fields

    @api.model
    def _lead_join_sql(self):
        if not self._has_crm():
            return SQL("")
        return SQL("LEFT JOIN crm_lead lead ON lead.id = so.opportunity_id")

    @api.model
    def _probability_sql(self):
        """The CRM opportunity's win probability (sale_crm), else the order's."""
        if not self._has_crm():
            return SQL("so.staffing_probability")
        return SQL("COALESCE(lead.probability, so.staffing_probability)")
