from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

MEASURES = (
    "capacity_hours",
    "planned_hours",
    "planned_confirmed_hours",
    "planned_tentative_hours",
    "actual_hours",
    "cost",
    "revenue",
    "margin",
    "actual_cost",
    "actual_revenue",
)
KEYS = (
    "employee_id",
    "project_id",
    "partner_id",
    "role_id",
    "company_id",
    "is_external",
    "line_type",
    "state",
)


class StaffingForecastSnapshot(models.Model):
    """The forecast frozen at a moment, per consultant, project and month."""

    _name = "staffing.forecast.snapshot"
    _description = "Forecast Snapshot"
    _order = "date desc, id desc"

    name = fields.Char(required=True, readonly=True)
    date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, index=True
    )
    month = fields.Date(
        compute="_compute_month",
        store=True,
        help="First day of the month the snapshot was taken in.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Taken By",
        readonly=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    line_ids = fields.One2many(
        comodel_name="staffing.forecast.snapshot.line",
        inverse_name="snapshot_id",
        string="Lines",
        readonly=True,
    )
    line_count = fields.Integer(compute="_compute_line_count")

    @api.depends("date")
    def _compute_month(self):
        for snapshot in self:
            snapshot.month = snapshot.date.date().replace(day=1)

    def _compute_line_count(self):
        counts = dict(
            self.env["staffing.forecast.snapshot.line"]._read_group(
                [("snapshot_id", "in", self.ids)], ["snapshot_id"], ["__count"]
            )
        )
        for snapshot in self:
            snapshot.line_count = counts.get(snapshot, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault(
                "name",
                self.env._(
                    "Forecast of %(date)s",
                    date=fields.Date.to_string(fields.Date.context_today(self)),
                ),
            )
        snapshots = super().create(vals_list)
        for snapshot in snapshots:
            snapshot._copy_forecast()
        return snapshots

    def write(self, vals):
        if vals:
            raise UserError(self.env._("A forecast snapshot can never be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A forecast snapshot can never be deleted."))

    def _copy_forecast(self):
        """Freeze the company's current forecast, summed per month."""
        self.ensure_one()
        self.env.flush_all()
        keys = SQL(", ").join(SQL.identifier(key) for key in KEYS)
        sums = SQL(", ").join(
            SQL("SUM(%s)", SQL.identifier(measure)) for measure in MEASURES
        )
        columns = SQL(", ").join(SQL.identifier(c) for c in (*KEYS, *MEASURES))
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO staffing_forecast_snapshot_line
                       (snapshot_id, date, %(columns)s)
                SELECT %(snapshot)s, date_trunc('month', date)::date, %(keys)s, %(sums)s
                  FROM staffing_forecast_line
                 WHERE company_id = %(company)s
              GROUP BY date_trunc('month', date)::date, %(keys)s
                """,
                columns=columns,
                snapshot=self.id,
                keys=keys,
                sums=sums,
                company=self.company_id.id,
            )
        )
        self.env["staffing.forecast.snapshot.line"].invalidate_model()

    @api.model
    def _cron_take_snapshot(self):
        """Monthly: freeze every company's forecast."""
        for company in self.env["res.company"].search([]):
            self.with_company(company).create({"company_id": company.id})

    @api.model
    def action_take_snapshot(self):
        """Menu action: freeze the forecast now and show the snapshot."""
        snapshot = self.create({})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": snapshot.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_comparison(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "resource_forecast.staffing_forecast_comparison_action"
        )
        action["domain"] = [("snapshot_id", "=", self.id)]
        return action
