from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.resource_sharing.engine import ranking


class StaffingBench(models.TransientModel):
    """Consultants with free capacity in the coming weeks."""

    _name = "staffing.bench"
    _description = "Bench"

    weeks = fields.Integer(default=4, required=True)
    min_free_hours = fields.Float(
        string="Free at Least", default=8.0, help="Hours free over the period."
    )
    date_from = fields.Date(compute="_compute_period")
    date_to = fields.Date(compute="_compute_period")
    line_ids = fields.One2many(
        comodel_name="staffing.bench.line", inverse_name="bench_id", readonly=True
    )

    @api.depends("weeks")
    def _compute_period(self):
        today = fields.Date.context_today(self)
        for bench in self:
            bench.date_from = today
            bench.date_to = (
                today + timedelta(weeks=max(bench.weeks, 0)) - timedelta(days=1)
            )

    def action_refresh(self):
        self.ensure_one()
        if self.weeks <= 0:
            raise UserError(self.env._("Look at least one week ahead."))
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(values) for values in self._get_bench_values()
        ]
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def _get_bench_values(self):
        groups = self.env["staffing.forecast.line"]._read_group(
            [
                ("date", ">=", self.date_from),
                ("date", "<=", self.date_to),
                ("company_id", "in", self.env.companies.ids),
            ],
            ["employee_id"],
            ["capacity_hours:sum", "planned_confirmed_hours:sum"],
        )
        values = []
        for employee, capacity, planned in groups:
            free = capacity - planned
            if free >= self.min_free_hours:
                values.append(
                    {
                        "employee_id": employee.id,
                        "capacity_hours": capacity,
                        "planned_hours": planned,
                        "free_hours": free,
                    }
                )
        return sorted(values, key=lambda v: -v["free_hours"])


class StaffingBenchLine(models.TransientModel):
    _name = "staffing.bench.line"
    _description = "Consultant on the Bench"
    _order = "free_hours desc"

    bench_id = fields.Many2one(
        comodel_name="staffing.bench", required=True, ondelete="cascade"
    )
    employee_id = fields.Many2one(comodel_name="hr.employee", string="Consultant")
    job_title = fields.Char(related="employee_id.job_title")
    is_external = fields.Boolean(related="employee_id.is_external")
    skills = fields.Char(compute="_compute_skills")
    capacity_hours = fields.Float()
    planned_hours = fields.Float(string="Planned Confirmed")
    free_hours = fields.Float()

    def _compute_skills(self):
        # sudo: skill levels of colleagues are HR data; the bench shows names only
        for line in self:
            line.skills = ", ".join(
                line.employee_id.sudo().employee_skill_ids.mapped("display_name")
            )

    def action_open_positions(self):
        """Open positions this consultant meets the mandatory skills of."""
        self.ensure_one()
        lines = self.env["staffing.request.line"].search(
            [
                ("state", "in", ("open", "partial")),
                ("request_state", "in", ("submitted", "in_progress", "staffed")),
                ("date_end", ">=", self.bench_id.date_from),
            ]
        )
        # sudo: skill levels are HR data; only the fit is shown
        skills = {
            skill.skill_id.id: skill.level_progress
            for skill in self.employee_id.sudo().employee_skill_ids
        }
        fitting = lines.filtered(
            lambda line: (
                line.company_id == self.employee_id.company_id
                and not ranking.missing_mandatory(skills, line._get_skill_needs())
            )
        )
        action = self.env["ir.actions.actions"]._for_xml_id(
            "resource_sharing.staffing_request_line_action"
        )
        action["domain"] = [("id", "in", fitting.ids)]
        action["context"] = {}
        action["name"] = self.env._(
            "Open positions for %(employee)s", employee=self.employee_id.name
        )
        return action
