from odoo import api, fields, models
from odoo.exceptions import UserError

FINANCE = "resource_forecast.group_finance"


class StaffingForecastSnapshotLine(models.Model):
    """A frozen forecast figure; written once by its snapshot, never after."""

    _name = "staffing.forecast.snapshot.line"
    _description = "Forecast Snapshot Line"
    _order = "date, employee_id"

    snapshot_id = fields.Many2one(
        comodel_name="staffing.forecast.snapshot",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
    )
    date = fields.Date(string="Month", required=True, index=True, readonly=True)
    # restrict: a frozen figure keeps the records it was frozen for; archive them
    employee_id = fields.Many2one(
        comodel_name="hr.employee", ondelete="restrict", readonly=True
    )
    project_id = fields.Many2one(
        comodel_name="project.project", ondelete="restrict", readonly=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        ondelete="restrict",
        readonly=True,
    )
    role_id = fields.Many2one(
        comodel_name="staffing.role", ondelete="restrict", readonly=True
    )
    employee_name = fields.Char(string="Consultant Name", readonly=True)
    project_name = fields.Char(readonly=True)
    partner_name = fields.Char(string="Customer Name", readonly=True)
    role_name = fields.Char(readonly=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    borrowing_company_id = fields.Many2one(
        comodel_name="res.company", string="Lent To", readonly=True
    )
    is_external = fields.Boolean(string="External", readonly=True)
    line_type = fields.Selection(
        selection=[
            ("capacity", "Capacity"),
            ("planned", "Planned"),
            ("lent", "Lent Out"),
            ("actual", "Actual"),
        ],
        string="Type",
        readonly=True,
    )
    state = fields.Selection(
        selection=[("confirmed", "Confirmed"), ("tentative", "Tentative")],
        string="Plan Status",
        readonly=True,
    )
    capacity_hours = fields.Float(readonly=True)
    planned_hours = fields.Float(readonly=True)
    planned_confirmed_hours = fields.Float(readonly=True)
    planned_tentative_hours = fields.Float(readonly=True)
    lent_hours = fields.Float(string="Lent Out", readonly=True)
    actual_hours = fields.Float(readonly=True)
    cost = fields.Monetary(readonly=True, groups=FINANCE)
    revenue = fields.Monetary(readonly=True, groups=FINANCE)
    margin = fields.Monetary(readonly=True, groups=FINANCE)
    actual_cost = fields.Monetary(readonly=True, groups=FINANCE)
    actual_revenue = fields.Monetary(readonly=True, groups=FINANCE)

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._("Lines of a forecast snapshot can never be changed.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Lines of a forecast snapshot can never be deleted.")
        )
