from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    staffing_date_start = fields.Date(
        string="Staffing Start",
        help="When empty, the staffing period of the order applies.",
    )
    staffing_date_end = fields.Date(string="Staffing End")
    staffing_role_id = fields.Many2one(related="product_id.staffing_role_id")

    @api.constrains("staffing_date_start", "staffing_date_end")
    def _check_staffing_dates(self):
        guard = self.env["staffing.guard.mixin"]
        for line in self:
            guard._check_period_bounds(
                line.staffing_date_start,
                line.staffing_date_end,
                line.display_name,
                line.company_id,
            )

    def _get_staffing_period(self):
        self.ensure_one()
        return (
            self.staffing_date_start or self.order_id.staffing_date_start,
            self.staffing_date_end or self.order_id.staffing_date_end,
        )

    def _get_staffing_hours(self):
        """Sold quantity in hours, whatever unit of measure it was sold in."""
        self.ensure_one()
        hour = self.env.ref("uom.product_uom_hour")
        if self.product_uom.category_id != hour.category_id:
            raise UserError(
                self.env._(
                    "%(product)s on %(order)s is sold in %(uom)s, which cannot be "
                    "converted to hours.",
                    product=self.product_id.display_name,
                    order=self.order_id.name,
                    uom=self.product_uom.name,
                )
            )
        return self.product_uom._compute_quantity(
            self.product_uom_qty, hour, round=False
        )

    def _check_staffing_handover(self):
        for line in self:
            start, end = line._get_staffing_period()
            if not start or not end:
                raise UserError(
                    self.env._(
                        "Set the staffing period of %(order)s (or of its line "
                        "%(product)s) before confirming it.",
                        order=line.order_id.name,
                        product=line.product_id.display_name,
                    )
                )
            if line.product_uom_qty <= 0:
                raise UserError(
                    self.env._(
                        "%(product)s on %(order)s needs a positive quantity to be "
                        "staffed.",
                        product=line.product_id.display_name,
                        order=line.order_id.name,
                    )
                )

    def _prepare_staffing_request_line_values(self):
        self.ensure_one()
        role = self.product_id.staffing_role_id
        hours = self._get_staffing_hours()
        start, end = self._get_staffing_period()
        return {
            "role_id": role.id,
            "name": self.name,
            "sale_line_id": self.id,
            "date_start": start,
            "date_end": end,
            "planned_hours": hours,
            "sold_rate": self.price_subtotal / hours if hours else role.bill_rate,
            "skill_requirement_ids": role._prepare_skill_requirement_commands(),
        }
