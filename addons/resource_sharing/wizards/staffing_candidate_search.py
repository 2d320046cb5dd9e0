from odoo import api, fields, models
from odoo.exceptions import UserError


class StaffingCandidateSearch(models.TransientModel):
    _name = "staffing.candidate.search"
    _description = "Find Candidates"

    line_id = fields.Many2one(
        comodel_name="staffing.request.line",
        string="Position",
        required=True,
        ondelete="cascade",
    )
    limit = fields.Integer(default=10)
    date_start = fields.Date(related="line_id.date_start")
    date_end = fields.Date(related="line_id.date_end")
    remaining_hours = fields.Float(related="line_id.remaining_hours")
    candidate_ids = fields.One2many(
        comodel_name="staffing.candidate.search.line",
        inverse_name="search_id",
        string="Candidates",
    )

    def action_refresh(self):
        self.ensure_one()
        candidates = self.line_id.get_candidates(limit=self.limit or 10)
        self.candidate_ids = [fields.Command.clear()] + [
            fields.Command.create(self._prepare_candidate_line_values(rank, candidate))
            for rank, candidate in enumerate(candidates, start=1)
        ]
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _prepare_candidate_line_values(self, rank, candidate):
        return {
            "rank": rank,
            "employee_id": candidate["employee_id"],
            "score": candidate["score"],
            "available_hours": candidate["available_hours"],
            "is_external": candidate["is_external"],
            "cost_rate": candidate["cost_rate"],
            "breakdown": candidate["breakdown"],
        }


class StaffingCandidateSearchLine(models.TransientModel):
    _name = "staffing.candidate.search.line"
    _description = "Candidate"
    _order = "rank"

    search_id = fields.Many2one(
        comodel_name="staffing.candidate.search", required=True, ondelete="cascade"
    )
    rank = fields.Integer()
    employee_id = fields.Many2one(comodel_name="hr.employee", string="Consultant")
    job_title = fields.Char(related="employee_id.job_title")
    partner_company_id = fields.Many2one(
        related="employee_id.staffing_partner_id", string="Partner Company"
    )
    score = fields.Float()
    available_hours = fields.Float(string="Free Hours")
    is_external = fields.Boolean(string="External")
    cost_rate = fields.Float(
        groups="resource_sharing.group_planner,resource_sharing.group_approver"
    )
    breakdown = fields.Text()

    @api.model
    def _get_allocation_hours(self, line, available):
        return max(0.0, min(line.remaining_hours or line.planned_hours, available))

    def action_allocate(self):
        """Book the consultant as tentative on the position, hours prefilled."""
        self.ensure_one()
        line = self.search_id.line_id
        hours = self._get_allocation_hours(line, self.available_hours)
        if hours <= 0:
            raise UserError(
                self.env._(
                    "%(employee)s has no free hours on %(position)s.",
                    employee=self.employee_id.name,
                    position=line.display_name,
                )
            )
        allocation = self.env["staffing.allocation"].create(
            {
                "employee_id": self.employee_id.id,
                "request_line_id": line.id,
                "allocated_hours": hours,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "staffing.allocation",
            "res_id": allocation.id,
            "view_mode": "form",
            "target": "current",
        }
