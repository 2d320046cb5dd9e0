from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    staffing_overload_tolerance = fields.Float(
        related="company_id.staffing_overload_tolerance",
        readonly=False,
    )
    staffing_escalation_days = fields.Integer(
        related="company_id.staffing_escalation_days",
        readonly=False,
    )
    staffing_escalation_ladder = fields.Char(
        related="company_id.staffing_escalation_ladder",
        readonly=False,
    )
    staffing_max_period_years = fields.Integer(
        related="company_id.staffing_max_period_years",
        readonly=False,
    )
    staffing_rolloff_weeks = fields.Integer(
        related="company_id.staffing_rolloff_weeks",
        readonly=False,
    )
    staffing_portal_show_project = fields.Boolean(
        related="company_id.staffing_portal_show_project",
        readonly=False,
    )
    staffing_portal_max_cv_mb = fields.Integer(
        related="company_id.staffing_portal_max_cv_mb",
        readonly=False,
    )
