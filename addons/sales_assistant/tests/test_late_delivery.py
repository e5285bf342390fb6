from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import deliver


@tagged("post_install", "-at_install")
class TestLateDelivery(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(cls.env, login="late_rep", groups="sales_team.group_sale_salesman")
        cls.other_rep = new_test_user(
            cls.env, login="late_other_rep", groups="sales_team.group_sale_salesman"
        )
        cls.desk = new_test_user(
            cls.env, login="late_desk", groups="sales_assistant.group_assistant_desk"
        )
        cls.customer = cls.env["res.partner"].create({"name": "苏州恒通物流有限公司"})
        cls.product = cls.env["product.product"].create(
            {"name": "Conveyor belt", "type": "consu", "list_price": 80.0}
        )
        cls.order = cls._make_order(cls.rep)
        cls.Late = cls.env["sales.late.delivery"]
        cls.activity_type = cls.env.ref("sales_assistant.mail_activity_type_late_delivery")
        cls.reason = cls.env.ref("sales_assistant.delay_reason_stock")

    @classmethod
    def _make_order(cls, rep, **values):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": rep.id,
                "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 3})],
                **values,
            }
        )
        order.action_confirm()
        return order

    def _days_ago(self, days):
        """The start of the company's day ``days`` days ago (UTC), as the cron counts days."""
        company = self.env.company
        return company._sales_utc(company._sales_today() - timedelta(days=days))

    def _overdue(self, order, days=2):
        order.picking_ids.scheduled_date = self._days_ago(days)

    def _activities(self, order):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_overdue_delivery_flags_the_order_with_one_activity(self):
        on_time = self._make_order(self.rep)
        self._overdue(self.order)

        self.Late._detect_all()

        late = self.order.late_delivery_ids
        self.assertEqual(late.picking_id, self.order.picking_ids)
        self.assertEqual(late.state, "late")
        self.assertEqual(late.user_id, self.rep)
        self.assertEqual(late.warehouse_id, self.order.warehouse_id)
        self.assertGreaterEqual(late.days_late, 2)
        self.assertTrue(self.order.delivery_late)
        activity = self._activities(self.order)
        self.assertEqual(activity.user_id, self.rep)
        self.assertFalse(on_time.delivery_late)
        self.assertFalse(on_time.late_delivery_ids)

    def test_rerun_records_nothing_and_schedules_no_second_activity(self):
        self._overdue(self.order)
        self.Late._detect_all()
        activity = self._activities(self.order)
        activity.action_done()  # the rep ticks it off, the goods are still not there
        write_date = self.order.late_delivery_ids.write_date
        Activities = self.env["mail.activity"].with_context(active_test=False)
        activities = Activities.search_count([])

        self.assertEqual(self.Late._detect_all(), 0)
        with self.assertQueryCount(__system__=1):
            self.assertEqual(self.Late._detect_batch(), (0, 0))

        self.assertEqual(len(self.order.late_delivery_ids), 1)
        self.assertEqual(self.order.late_delivery_ids.write_date, write_date)
        self.assertFalse(self._activities(self.order))
        self.assertEqual(Activities.search_count([]), activities)

    def test_second_late_delivery_of_a_flagged_order_adds_no_activity(self):
        self._overdue(self.order)
        self.Late._detect_all()
        backorder = self.order.picking_ids.copy({"scheduled_date": self._days_ago(1)})
        backorder.action_confirm()
        self.Late._detect_all()
        self.assertEqual(len(self.order.late_delivery_ids), 2)
        self.assertEqual(len(self._activities(self.order)), 1)

    def test_commitment_date_passed_is_late(self):
        order = self._make_order(self.rep, commitment_date=self._days_ago(-5))
        order.commitment_date = self._days_ago(3)
        order.picking_ids.scheduled_date = self._days_ago(-5)
        self.Late._detect_all()
        self.assertTrue(order.delivery_late)
        self.assertEqual(order.late_delivery_ids.due_date, order.commitment_date)

    def test_due_today_in_the_companys_timezone_is_not_late_yet(self):
        """Promised for today 00:30 in Shanghai (yesterday in UTC): not late before the
        day is over there."""
        self.env.company.partner_id.tz = "Asia/Shanghai"
        self.env.flush_all()
        today = self.env.company._sales_today()
        self.order.picking_ids.scheduled_date = self.env.company._sales_utc(today) + timedelta(
            minutes=30
        )
        self.Late._detect_all()
        self.assertFalse(self.order.late_delivery_ids)
        self.order.picking_ids.scheduled_date -= timedelta(hours=1)  # 23:30 yesterday there
        self.Late._detect_all()
        self.assertTrue(self.order.delivery_late)

    def test_delivery_done_clears_the_flag_and_keeps_the_history(self):
        self._overdue(self.order)
        self.Late._detect_all()
        deliver(self.order)
        self.assertFalse(self.order.delivery_late)
        self.assertEqual(self.order.late_delivery_ids.state, "delivered")
        self.assertEqual(self.order.receipt_state, "awaiting")

    def test_rep_records_the_reason_and_the_activity_is_done(self):
        self._overdue(self.order)
        self.Late._detect_all()
        late = self.order.late_delivery_ids.with_user(self.rep)
        late.write({"reason_id": self.reason.id, "note": "Supplier shipment arrives Friday"})
        self.assertEqual(late.reason_id, self.reason)
        self.assertFalse(self._activities(self.order))
        with self.assertRaises(UserError):
            late.write({"due_date": late.due_date})
        with self.assertRaises(AccessError):
            late.unlink()

    def test_other_rep_neither_sees_nor_explains(self):
        self._overdue(self.order)
        self.Late._detect_all()
        late = self.order.late_delivery_ids
        self.assertFalse(self.Late.with_user(self.other_rep).search([("id", "=", late.id)]))
        with self.assertRaises(AccessError):
            late.with_user(self.other_rep).write({"reason_id": self.reason.id})
        self.assertFalse(late.reason_id)
        # the sales desk sees and explains every order's late deliveries
        late.with_user(self.desk).write({"reason_id": self.reason.id})
        self.assertEqual(late.reason_id, self.reason)

    def test_reasons_are_configured_by_managers_only(self):
        reasons = self.env["sales.delivery.delay.reason"]
        self.assertIn(self.reason, reasons.with_user(self.rep).search([]))
        with self.assertRaises(AccessError):
            reasons.with_user(self.desk).create({"name": "Typhoon"})
        manager = new_test_user(
            self.env, login="late_manager", groups="sales_team.group_sale_manager"
        )
        reasons.with_user(manager).create({"name": "Typhoon"})

    def test_report_groups_by_customer_rep_warehouse_and_reason(self):
        other = self._make_order(self.other_rep)
        self._overdue(self.order)
        self._overdue(other)
        self.Late._detect_all()
        self.order.late_delivery_ids.reason_id = self.reason
        groups = self.Late.with_user(self.desk)._read_group(
            [("order_id", "in", (self.order | other).ids)],
            ["partner_id", "user_id", "warehouse_id", "reason_id"],
            ["__count"],
        )
        self.assertEqual(
            sorted((u.id, r.id, n) for _p, u, _w, r, n in groups),
            sorted([(self.rep.id, self.reason.id, 1), (self.other_rep.id, False, 1)]),
        )
        self.assertEqual({p for p, *_ in groups}, {self.customer})
        action = self.env.ref("sales_assistant.action_sales_late_delivery_report")
        self.assertIn("pivot", action.view_mode)

    def _count_queries(self, orders):
        for order in orders:
            self._overdue(order)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self.Late._detect_all()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_orders(self):
        self._count_queries(self.order)  # warm the caches
        few = self._count_queries([self._make_order(self.rep) for _i in range(2)])
        many = self._count_queries([self._make_order(self.rep) for _i in range(8)])
        self.assertEqual(many, few)
        self.assertEqual(len(self.Late.search([("user_id", "=", self.rep.id)])), 11)
