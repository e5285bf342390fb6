from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .common import CollectionCase, call_kw


@tagged("post_install", "-at_install")
class TestTrustMyDay(CollectionCase, HttpCase):
    """A team leader with "Own Documents Only" rights leads the team (``crm.team.user_id``):
    My day shows them the team's installments, broken promises and late deliveries, as the
    record rules let them read them, over JSON-RPC with nothing in the cache."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.leader, cls.other_rep):
            user.password = user.login
        # an overdue installment and a broken promise of a member of the leader's team
        cls.order = cls.make_order(amount=1000)
        cls.plan = cls.order.collection_plan_ids
        cls.first = cls.plan.installment_ids.sorted("date_due")[0]
        cls.first.date_due = cls.today - timedelta(days=3)
        cls.promise = cls.env["sales.collection.promise"].create(
            {
                "plan_id": cls.plan.id,
                "installment_id": cls.first.id,
                "date_promised": cls.today + timedelta(days=1),
                "amount": 300,
                "promised_by": "财务 王经理",
            }
        )
        cls.env["sales.collection.plan"]._collection_run(today=cls.days(cls, 2))
        # a late delivery of the same member
        product = cls.env["product.product"].create({"name": "Pump", "type": "consu"})
        cls.delivery_order = cls.make_order(
            amount=500, order_line=[(0, 0, {"product_id": product.id, "product_uom_qty": 1})]
        )
        cls.delivery_order.picking_ids.scheduled_date = cls.company._sales_utc(
            cls.today - timedelta(days=3)
        )
        cls.env["sales.late.delivery"]._detect_all()
        cls.late = cls.delivery_order.late_delivery_ids

    def _day_over_rpc(self, login):
        self.authenticate(login, login)
        self.env.invalidate_all()  # nothing read by the test helps the server
        day = call_kw(self, "sales.assistant.day", "get_my_day", [])
        return {section["name"]: section for section in day["sections"]}

    def test_the_leader_on_own_documents_sees_the_team_over_rpc(self):
        self.assertEqual(self.promise.state, "broken")
        self.assertTrue(self.late)
        self.assertFalse(self.leader.has_group("sales_team.group_sale_salesman_all_leads"))
        day = self._day_over_rpc(self.leader.login)
        installments = {e["id"]: e for e in day["installments"]["records"]}
        self.assertIn(self.first.id, installments)
        self.assertIn(self.order.name, installments[self.first.id]["name"])
        self.assertEqual(
            self.env["sales.collection.installment"].browse(list(installments)).user_id, self.rep
        )
        self.assertEqual([e["id"] for e in day["broken_promises"]["records"]], self.promise.ids)
        late = day["late_deliveries"]
        self.assertEqual([e["id"] for e in late["records"]], self.late.ids)
        self.assertEqual(late["records"][0]["name"], self.delivery_order.name)
        # what each section counts, the leader can open: its list agrees with the rules
        for name in ("installments", "broken_promises", "late_deliveries"):
            action = day[name]["action"]
            self.env.invalidate_all()
            found = call_kw(
                self,
                action["res_model"],
                "search_read",
                [action["domain"]],
                kwargs={"fields": ["id"]},
            )
            self.assertEqual(len(found), day[name]["count"], name)

    def test_a_rep_of_another_team_sees_nothing_of_it(self):
        day = self._day_over_rpc(self.other_rep.login)
        for name in ("installments", "broken_promises", "late_deliveries"):
            self.assertFalse(day[name]["records"], name)

    def test_the_leader_reads_the_team_records_but_not_their_orders(self):
        self.env.invalidate_all()
        leader_env = self.env(user=self.leader)
        late = leader_env["sales.late.delivery"].browse(self.late.id)
        self.assertEqual(late.display_name, self.delivery_order.picking_ids.name)
        installment = leader_env["sales.collection.installment"].browse(self.first.id)
        self.assertIn(self.order.name, installment.display_name)
        plan = leader_env["sales.collection.plan"].browse(self.plan.id)
        self.assertIn(self.order.name, plan.display_name)
        self.assertFalse(leader_env["sale.order"].search([("id", "=", self.order.id)]))

    def test_the_leader_morning_digest_is_built_with_a_cold_cache(self):
        """The digest cron builds the same day as the leader: it must not fail (the
        digest swallows the error and the leader silently gets nothing)."""
        self.env.invalidate_all()
        data = self.env["sales.assistant.day"]._my_day_data(self.leader)
        sections = {section["name"]: section for section in data["sections"]}
        self.assertIn(self.first.id, [e["id"] for e in sections["installments"]["records"]])
        self.assertEqual([e["id"] for e in sections["late_deliveries"]["records"]], self.late.ids)
