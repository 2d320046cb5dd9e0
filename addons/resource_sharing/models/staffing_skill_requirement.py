from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StaffingSkillRequirement(models.Model):
    _name = "staffing.skill.requirement"
    _inherit = "staffing.guard.mixin"
    _description = "Staffing Skill Requirement"
    _order = "mandatory desc, id"

    role_id = fields.Many2one(
        comodel_name="staffing.role",
        ondelete="cascade",
        index="btree_not_null",
    )
    request_line_id = fields.Many2one(
        comodel_name="staffing.request.line",
        ondelete="cascade",
        index="btree_not_null",
    )
    skill_id = fields.Many2one(
        comodel_name="hr.skill",
        required=True,
        ondelete="restrict",
        domain="[('skill_type_id', '=', skill_type_id)]",
    )
    skill_type_id = fields.Many2one(
        comodel_name="hr.skill.type",
        compute="_compute_skill_type_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    level_id = fields.Many2one(
        comodel_name="hr.skill.level",
        string="Minimum Level",
        required=True,
        ondelete="restrict",
        domain="[('skill_type_id', '=', skill_type_id)]",
    )
    min_progress = fields.Integer(related="level_id.level_progress")
    company_id = fields.Many2one(
        comodel_name="res.company",
        compute="_compute_company_id",
        store=True,
        index="btree_not_null",
    )
    mandatory = fields.Boolean(
        default=True,
        help="Mandatory skills exclude consultants below the level; preferred "
        "skills only improve the score.",
    )

    @api.depends("skill_id")
    def _compute_skill_type_id(self):
        for requirement in self:
            if requirement.skill_id:
                requirement.skill_type_id = requirement.skill_id.skill_type_id

    @api.depends("role_id.company_id", "request_line_id.company_id")
    def _compute_company_id(self):
        for requirement in self:
            requirement.company_id = (
                requirement.request_line_id.company_id or requirement.role_id.company_id
            )

    @api.constrains("skill_id", "level_id")
    def _check_level_matches_skill(self):
        for requirement in self:
            if requirement.level_id.skill_type_id != requirement.skill_id.skill_type_id:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s does not belong to the skill type of "
                        "%(skill)s.",
                        level=requirement.level_id.name,
                        skill=requirement.skill_id.name,
                    )
                )

    @api.constrains("role_id", "request_line_id")
    def _check_owner(self):
        for requirement in self:
            if bool(requirement.role_id) == bool(requirement.request_line_id):
                raise ValidationError(
                    self.env._(
                        "Skill requirement %(skill)s must belong to either a role "
                        "or a request line.",
                        skill=requirement.skill_id.name,
                    )
                )
