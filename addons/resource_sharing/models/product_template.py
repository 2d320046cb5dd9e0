from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    staffing_role_id = fields.Many2one(
        comodel_name="staffing.role",
        string="Staffing Role",
        ondelete="restrict",
        index="btree_not_null",
        help="Confirming a sale of this service hands a staffing request for this "
        "role over to the PMO.",
    )
