from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import FRIDAY_NEXT, MONDAY, StaffingCase


@tagged("post_install", "-at_install")
class TestSaleHandover(StaffingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_days = cls._service(
            "Architecture (days)", "uom.product_uom_day", cls.role_architect
        )
        cls.product_hours = cls._service(
            "Data science (hours)", "uom.product_uom_hour", cls.role_scientist
        )
        cls.product_plain = cls._service(
            "Licence support", "uom.product_uom_hour", False
        )

    @classmethod
    def _service(cls, name, uom_xmlid, role):
        uom = cls.env.ref(uom_xmlid)
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "service",
                "uom_id": uom.id,
                "uom_po_id": uom.id,
                "list_price": 1000.0,
                "staffing_role_id": role and role.id,
            }
        )

    def _order(self, **values):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.user.id,
                "staffing_date_start": MONDAY,
                "staffing_date_end": FRIDAY_NEXT,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product_days.id,
                            "product_uom_qty": 5,
                            "price_unit": 1000.0,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "product_id": self.product_hours.id,
                            "product_uom_qty": 12,
                            "price_unit": 110.0,
                        },
                    ),
                    (0, 0, {"product_id": self.product_plain.id, "product_uom_qty": 3}),
                ],
                **values,
            }
        )

    def test_confirm_hands_over_one_request(self):
        """Confirming creates one submitted request with a line per role line."""
        order = self._order()
        order.action_confirm()
        request = order.staffing_request_ids
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.engagement_manager_id, self.user)
        self.assertEqual(len(request.line_ids), 2)
        days_line = request.line_ids.filtered(
            lambda rl: rl.role_id == self.role_architect
        )
        self.assertEqual(days_line.planned_hours, 40, "5 days are 40 hours")
        self.assertEqual(days_line.sold_rate, 125, "5000 over 40 hours")
        self.assertEqual(days_line.date_start, MONDAY)
        self.assertEqual(
            days_line.skill_requirement_ids.skill_id, self.skill_sap | self.skill_python
        )
        hours_line = request.line_ids - days_line
        self.assertEqual(hours_line.planned_hours, 12)
        self.assertEqual(hours_line.sold_rate, 110)
        self.assertEqual(order.staffing_request_count, 1)

    def test_salesperson_without_staffing_rights_hands_over(self):
        """A salesperson who knows nothing of staffing still hands over."""
        salesman = new_test_user(
            self.env, "rs_salesman", groups="sales_team.group_sale_salesman"
        )
        order = self._order(user_id=salesman.id).with_user(salesman)
        order.action_confirm()
        request = order.sudo().staffing_request_ids
        self.assertEqual(request.engagement_manager_id, salesman)
        self.assertEqual(request.state, "submitted")

    def test_confirm_twice_is_idempotent(self):
        """Cancelling and confirming again never makes a second request."""
        order = self._order()
        order.action_confirm()
        order._create_staffing_requests()
        order._action_cancel()
        order.action_draft()
        order.action_confirm()
        self.assertEqual(
            self.env["staffing.request"].search_count(
                [("sale_order_id", "=", order.id)]
            ),
            1,
        )

    def test_line_period_refines_order(self):
        """A period on the order line wins over the order's."""
        order = self._order()
        order.order_line[1].write(
            {"staffing_date_start": FRIDAY_NEXT, "staffing_date_end": FRIDAY_NEXT}
        )
        order.action_confirm()
        line = order.staffing_request_ids.line_ids.filtered(
            lambda rl: rl.role_id == self.role_scientist
        )
        self.assertEqual(line.date_start, FRIDAY_NEXT)

    def test_order_without_roles_creates_nothing(self):
        """An order without consultancy services hands nothing over."""
        order = self._order()
        order.order_line[:2].unlink()
        order.action_confirm()
        self.assertFalse(order.staffing_request_ids)

    def test_missing_period_refused(self):
        """Without a staffing period the order cannot be confirmed."""
        order = self._order(staffing_date_start=False)
        with self.assertRaisesRegex(UserError, "staffing period"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.staffing_request_ids)

    def test_zero_or_negative_quantity_refused(self):
        """A role line with no or a negative quantity cannot be staffed."""
        order = self._order()
        for quantity in (0, -2):
            order.order_line[0].product_uom_qty = quantity
            with self.assertRaisesRegex(UserError, "positive quantity"):
                order.action_confirm()
            self.assertEqual(order.state, "draft")
            self.assertFalse(order.staffing_request_ids)

    def test_smart_button(self):
        """The order's button opens its request."""
        order = self._order()
        order.action_confirm()
        action = order.action_view_staffing_requests()
        self.assertEqual(action["res_id"], order.staffing_request_ids.id)
