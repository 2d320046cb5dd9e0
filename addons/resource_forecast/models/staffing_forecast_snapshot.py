from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

MEASURES = (
    "capacity_hours",
    "planned_hours",
    "planned_confirmed_hours",
    "planned_tentative_hours",
    "lent_hours",
    "actual_hours",
    "cost",
    "revenue",
    "margin",
    "actual_cost",
    "actual_revenue",
)
# names copied with the figures: a later rename or deletion leaves them as frozen
FROZEN_NAMES = ("employee_name", "project_name", "partner_name", "role_name")
KEYS = (
    "employee_id",
    "project_id",
    "partner_id",
    "role_id",
    "company_id",
    "borrowing_company_id",
    "is_external",
    "line_type",
    "state",
)


class StaffingForecastSnapshot(models.Model):
    """The forecast frozen at a moment, per consultant, project and month."""

    _name = "staffing.forecast.snapshot"
    _inherit = "staffing.guard.mixin"
    _description = "Forecast Snapshot"
    _order = "date desc, id desc"

    # when and by whom are the server's facts, never the caller's
    _action_fields = frozenset({"date", "user_id"})

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
        # the forecast's queued refresh too: it is read by plain SQL below
        self.env["staffing.forecast.line"].flush_model()
        keys = SQL(", ").join(SQL.identifier("line", key) for key in KEYS)
        sums = SQL(", ").join(
            SQL("SUM(%s)", SQL.identifier("line", measure)) for measure in MEASURES
        )
        columns = SQL(", ").join(
            SQL.identifier(c) for c in (*KEYS, *MEASURES, *FROZEN_NAMES)
        )
        lang = self.env.lang or "en_US"
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO staffing_forecast_snapshot_line
                       (snapshot_id, date, %(columns)s)
                SELECT %(snapshot)s, date_trunc('month', line.date)::date,
                       %(keys)s, %(sums)s,
                       MIN(employee.name),
                       MIN(COALESCE(project.name->>%(lang)s, project.name->>'en_US')),
                       MIN(partner.complete_name),
                       MIN(COALESCE(role.name->>%(lang)s, role.name->>'en_US'))
                  FROM staffing_forecast_line line
                  JOIN hr_employee employee ON employee.id = line.employee_id
             LEFT JOIN project_project project ON project.id = line.project_id
             LEFT JOIN res_partner partner ON partner.id = line.partner_id
             LEFT JOIN staffing_role role ON role.id = line.role_id
                 WHERE line.company_id = %(company)s
              GROUP BY date_trunc('month', line.date)::date, %(keys)s
                """,
                columns=columns,
                snapshot=self.id,
                keys=keys,
                sums=sums,
                lang=lang,
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
