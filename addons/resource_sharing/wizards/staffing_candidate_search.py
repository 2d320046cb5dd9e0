from odoo import api, fields, models


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
        return self._get_reopen_action()

    def _get_reopen_action(self):
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
            "score_parts": candidate["score_parts"],
            "lent_by": candidate["company"] if candidate["origin"] == "sister" else "",
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
    lent_by = fields.Char(
        help="The sister company lending this consultant under a sharing agreement.",
    )
    score = fields.Float()
    available_hours = fields.Float(string="Free Hours")
    is_external = fields.Boolean(string="External")
    cost_rate = fields.Float(
        groups="resource_sharing.group_planner,resource_sharing.group_approver"
    )
    breakdown = fields.Text()
    score_parts = fields.Json(
        help="Each part of the score with its points; the detail on hover.",
    )
    is_shortlisted = fields.Boolean(compute="_compute_is_shortlisted")

    @api.depends("employee_id", "search_id.line_id.shortlist_entry_ids")
    def _compute_is_shortlisted(self):
        for candidate in self:
            shortlist = candidate.search_id.line_id.shortlist_entry_ids
            candidate.is_shortlisted = candidate.employee_id in shortlist.employee_id

    def action_allocate(self):
        """Book the consultant as tentative on the position, hours prefilled."""
        self.ensure_one()
        return self.search_id.line_id._action_allocate(
            self.employee_id, self.available_hours
        )

    def action_add_to_shortlist(self):
        """Put the consultant on the position's shortlist; the dialog stays open."""
        self.ensure_one()
        self.env["staffing.shortlist.entry"].create(
            {
                "request_line_id": self.search_id.line_id.id,
                "employee_id": self.employee_id.id,
            }
        )
        return self.search_id._get_reopen_action()
