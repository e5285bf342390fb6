from datetime import timedelta

from odoo.tests import tagged

from .common import CollectionCase


@tagged("post_install", "-at_install")
class TestMyDayCollections(CollectionCase):
    """The collections' sections of "My day": installments due or overdue, broken promises."""

    def day(self, user):
        day = self.env["sales.assistant.day"].with_user(user).get_my_day()
        return {section["name"]: section for section in day["sections"]}

    def test_overdue_installment_and_broken_promise(self):
        order = self.make_order(amount=1000)
        other_order = self.make_order(user=self.other_rep, amount=500)
        plan = order.collection_plan_ids
        first, second = plan.installment_ids.sorted("date_due")
        first.date_due = self.today - timedelta(days=3)  # 300, three days late
        self.assertEqual(first.state, "overdue")
        promise = (
            self.env["sales.collection.promise"]
            .with_user(self.rep)
            .create(
                {
                    "plan_id": plan.id,
                    "date_promised": self.today + timedelta(days=1),
                    "amount": 300,
                    "promised_by": "财务 王经理",
                }
            )
        )
        self.run_cron(days=2)  # the promised day passed unpaid
        self.assertEqual(promise.state, "broken")

        rep_day = self.day(self.rep)
        installments = rep_day["installments"]
        self.assertEqual(
            [(e["model"], e["id"], e["late"]) for e in installments["records"]],
            [("sales.collection.installment", first.id, True)],
            "the installment due in 30 days is not due yet",
        )
        self.assertNotIn(second.id, [e["id"] for e in installments["records"]])
        self.assertEqual([e["id"] for e in rep_day["broken_promises"]["records"]], [promise.id])
        # the team leader sees the rep's
        leader_day = self.day(self.leader)
        self.assertEqual([e["id"] for e in leader_day["installments"]["records"]], first.ids)
        # the other team's rep sees their own installment due today, not the rep's
        other_day = self.day(self.other_rep)
        other_first = other_order.collection_plan_ids.installment_ids.sorted("date_due")[0]
        self.assertEqual(
            [(e["id"], e["late"]) for e in other_day["installments"]["records"]],
            [(other_first.id, False)],
        )
        self.assertFalse(other_day["broken_promises"]["records"])
