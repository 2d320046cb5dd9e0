from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    staffing_date_start = fields.Date(
        string="Staffing Start",
        copy=False,
        help="First day consultants are needed; order lines may refine it.",
    )
    staffing_date_end = fields.Date(
        string="Staffing End",
        copy=False,
        help="Last day consultants are needed; order lines may refine it.",
    )
    staffing_request_ids = fields.One2many(
        comodel_name="staffing.request",
        inverse_name="sale_order_id",
        string="Staffing Requests",
    )
    staffing_request_count = fields.Integer(
        compute="_compute_staffing_request_count",
    )

    @api.depends("staffing_request_ids")
    def _compute_staffing_request_count(self):
        for order in self:
            order.staffing_request_count = len(order.staffing_request_ids)

    @api.constrains("staffing_date_start", "staffing_date_end")
    def _check_staffing_dates(self):
        guard = self.env["staffing.guard.mixin"]
        for order in self:
            guard._check_period_bounds(
                order.staffing_date_start,
                order.staffing_date_end,
                order.name,
                order.company_id,
            )

    def _action_confirm(self):
        result = super()._action_confirm()
        self._create_staffing_requests()
        return result

    def _get_staffing_order_lines(self):
        self.ensure_one()
        return self.order_line.filtered(
            lambda line: line.product_id.staffing_role_id and not line.display_type
        )

    def _create_staffing_requests(self):
        """Hand each confirmed order with consultancy lines over to the PMO, once."""
        # sudo: salespeople hand over without being allowed to manage requests
        requests = self.env["staffing.request"].sudo()
        for order in self:
            lines = order._get_staffing_order_lines()
            if not lines or order.sudo().staffing_request_ids:
                continue
            lines._check_staffing_handover()
            request = requests._create_with_action_values(
                [order._prepare_staffing_request_values(lines)],
                {
                    "staffing.request": ("state", "sale_order_id"),
                    "staffing.request.line": ("sale_line_id",),
                },
            )
            request.message_post_with_source(
                "mail.message_origin_link",
                render_values={"self": request, "origin": order},
                subtype_xmlid="mail.mt_note",
            )
            requests |= request
        return requests

    def _prepare_staffing_request_values(self, lines):
        self.ensure_one()
        periods = [line._get_staffing_period() for line in lines]
        project = self.project_id or self.project_ids[:1]
        return {
            "partner_id": self.partner_id.id,
            "sale_order_id": self.id,
            "project_id": project.id,
            "engagement_manager_id": self.user_id.id,
            "company_id": self.company_id.id,
            "date_start": min(start for start, _end in periods),
            "date_end": max(end for _start, end in periods),
            "description": self.note,
            "state": "submitted",
            "line_ids": [
                fields.Command.create(line._prepare_staffing_request_line_values())
                for line in lines
            ],
        }

    def action_view_staffing_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "resource_sharing.staffing_request_action"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"create": False}
        if len(self.staffing_request_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.staffing_request_ids.id
        return action
