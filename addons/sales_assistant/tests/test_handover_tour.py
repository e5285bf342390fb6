from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .common import tour_user


@tagged("post_install", "-at_install")
class TestHandoverTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.manager = tour_user(
            env, "tour_ho_manager", "sales_team.group_sale_manager", "Tour Manager"
        )
        cls.leaving = tour_user(
            env, "tour_ho_leaving", "sales_team.group_sale_salesman", "Tour Leaving"
        )
        cls.heirs = new_test_user(
            env,
            login="tour_ho_heir1",
            groups="sales_team.group_sale_salesman",
            name="Tour Heir One",
        ) | new_test_user(
            env,
            login="tour_ho_heir2",
            groups="sales_team.group_sale_salesman",
            name="Tour Heir Two",
        )
        cls.customers = (
            env["res.partner"]
            .sudo()
            .create(
                [
                    {"name": f"Tour Customer {i}", "is_company": True, "user_id": cls.leaving.id}
                    for i in range(4)
                ]
            )
        )
        cls.leads = env["crm.lead"].create(
            [
                {
                    "name": f"Tour Deal {i}",
                    "type": "opportunity",
                    "user_id": cls.leaving.id,
                    "partner_id": cls.customers[i].id,
                }
                for i in range(4)
            ]
        )

    def test_handover_tour(self):
        self.start_tour("/odoo", "sales_handover_two_successors", login="tour_ho_manager")
        log = self.env["sales.handover.log"].search([("from_user_id", "=", self.leaving.id)])
        self.assertEqual(log.state, "done")
        self.assertEqual(log.user_id, self.manager)
        self.assertEqual(self.customers.user_id, self.heirs)
        self.assertEqual(self.leads.user_id, self.heirs)
        for customer in self.customers:
            self.assertEqual(
                self.leads.filtered(lambda lead, c=customer: lead.partner_id == c).user_id,
                customer.user_id,
            )

    def test_rep_over_json_rpc(self):
        """Every public method refuses a rep, over JSON-RPC as from the browser."""
        log = self.env["sales.handover.log"].create(
            {"from_user_id": self.leaving.id, "distribution": "pool", "state": "failed"}
        )
        self.authenticate("tour_ho_leaving", "tour_ho_leaving_pwd")
        calls = [
            (
                "sales.handover.wizard",
                "create",
                [
                    {
                        "from_user_id": self.leaving.id,
                        "successor_ids": [Command.set(self.heirs[:1].ids)],
                    }
                ],
            ),
            ("sales.handover.log", "action_resume", [[log.id]]),
            (
                "sales.handover.log",
                "create",
                [{"from_user_id": self.leaving.id, "distribution": "pool"}],
            ),
        ]
        for model, method, args in calls:
            with (
                self.subTest(method=method),
                mute_logger("odoo.http"),
                self.assertRaisesRegex(JsonRpcException, "odoo.exceptions.AccessError"),
            ):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {"model": model, "method": method, "args": args, "kwargs": {}},
                )
        self.assertEqual(self.customers.user_id, self.leaving)
        self.assertEqual(log.state, "failed")
