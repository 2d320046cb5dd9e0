from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StaffingRole(models.Model):
    _name = "staffing.role"
    _description = "Staffing Role"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Html(translate=True)
    skill_requirement_ids = fields.One2many(
        comodel_name="staffing.skill.requirement",
        inverse_name="role_id",
        string="Default Skill Requirements",
        copy=True,
    )
    bill_rate = fields.Monetary(
        string="Default Bill Rate",
        currency_field="currency_id",
        help="Hourly rate billed to customers for this role when the sale order "
        "says nothing else.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        ondelete="restrict",
        index=True,
        help="Leave empty to share the role between companies.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_currency_id",
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A role with this name already exists.",
        ),
    ]

    @api.depends("company_id")
    def _compute_currency_id(self):
        for role in self:
            role.currency_id = (role.company_id or self.env.company).currency_id

    @api.constrains("bill_rate")
    def _check_bill_rate(self):
        for role in self:
            if role.bill_rate < 0:
                raise ValidationError(
                    self.env._(
                        "The bill rate of role %(role)s cannot be negative.",
                        role=role.name,
                    )
                )

    def _prepare_skill_requirement_commands(self):
        """Commands copying the role's default skills onto a request line."""
        self.ensure_one()
        return [
            fields.Command.create(
                {
                    "skill_id": requirement.skill_id.id,
                    "level_id": requirement.level_id.id,
                    "mandatory": requirement.mandatory,
                }
            )
            for requirement in self.skill_requirement_ids
        ]
