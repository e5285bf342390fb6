"""Issue 16, 2: a suspended opportunity comes back through its reactivation (and its
approval) only, never through plain writes of its closing fields over JSON-RPC."""

from datetime import timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import RpcError, call_kw


@tagged("post_install", "-at_install")
class TestReactivationOverRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.rep = new_test_user(
            env, login="tr_rep", groups="sales_team.group_sale_salesman", name="Rep Tang"
        )
        cls.leader = new_test_user(
            env, login="tr_leader", groups="sales_team.group_sale_salesman", name="Leader Kong"
        )
        cls.team = env["crm.team"].create(
            {"name": "East", "user_id": cls.leader.id, "member_ids": [Command.set(cls.rep.ids)]}
        )
        cls.rep.sale_team_id = cls.team
        env["res.config.settings"].create({"sales_reactivation_approval": True}).execute()
        stage = env["crm.stage"].search([("is_won", "=", False)], order="sequence")[1]
        cls.lead = (
            env["crm.lead"]
            .with_user(cls.rep)
            .create(
                {
                    "name": "Suspended boiler",
                    "type": "opportunity",
                    "user_id": cls.rep.id,
                    "team_id": cls.team.id,
                    "stage_id": stage.id,
                }
            )
        )
        cls.lead._sales_suspend(
            cls.env.company._sales_today() + timedelta(days=30), "Budget frozen"
        )

    def _lead_state(self):
        self.env.invalidate_all()
        lead = self.lead.with_context(active_test=False)
        return lead.active, lead.closing_state, lead.resume_date

    def test_a_rep_cannot_bring_back_a_suspended_opportunity_by_plain_writes(self):
        self.authenticate("tr_rep", "tr_rep")
        call_kw(self, "crm.lead", "action_sales_reactivate", [[self.lead.id]])
        before = self._lead_state()
        self.assertEqual(before[:2], (False, "suspended"))
        for vals in (
            {"closing_state": False},
            {"resume_date": False},
            {"resume_date": str(self.env.company._sales_today() + timedelta(days=90))},
            {"closing_stage_id": False},
            {"closing_state": False, "active": True},
        ):
            with self.subTest(vals=vals), self.assertRaises(RpcError):
                call_kw(self, "crm.lead", "write", [[self.lead.id], vals])
        with self.assertRaises(RpcError):
            call_kw(self, "crm.lead", "write", [[self.lead.id], {"active": True}])
        self.assertEqual(self._lead_state(), before)
        # a forged context key is no marker
        with self.assertRaises(RpcError):
            call_kw(
                self,
                "crm.lead",
                "write",
                [[self.lead.id], {"active": True, "closing_state": False}],
                context={"sales_reactivating": True, "sales_closing": True},
            )
        self.assertEqual(self._lead_state(), before)
        approval = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)]
        )
        self.assertEqual(approval.state, "pending")

    def test_a_new_opportunity_cannot_be_created_suspended_or_with_a_stage_reached(self):
        self.authenticate("tr_rep", "tr_rep")
        for vals in (
            {"closing_state": "suspended", "resume_date": "2099-12-31"},
            {"closing_stage_id": self.lead.stage_id.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(RpcError):
                call_kw(self, "crm.lead", "create", [{"name": "Forged", **vals}])
