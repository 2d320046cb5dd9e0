from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import escape_psql


class StaffingRole(models.Model):
    _name = "staffing.role"
    _inherit = "staffing.guard.mixin"
    _description = "Staffing Role"
    _order = "sequence, name"

    _non_negative_fields = frozenset({"bill_rate"})

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

    @api.constrains("name", "company_id")
    def _check_unique_name(self):
        """One name per company, shared roles counting for every company."""
        for role in self:
            domain = [
                ("id", "!=", role.id),
                ("name", "=ilike", escape_psql(role.name.strip())),
            ]
            if role.company_id:
                domain.append(("company_id", "in", (role.company_id.id, False)))
            # sudo: a role of another company that shares this name conflicts
            # with a shared role even when the user cannot see it
            twin = self.sudo().with_context(active_test=False).search(domain, limit=1)
            if twin:
                raise ValidationError(
                    self.env._(
                        "A role named %(name)s already exists for %(company)s.",
                        name=role.name,
                        company=twin.company_id.name or self.env._("every company"),
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
