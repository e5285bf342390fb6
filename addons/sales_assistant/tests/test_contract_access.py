import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import PDF_SCAN, ContractCase, RpcError, call_kw


@tagged("post_install", "-at_install")
class TestContractAccess(ContractCase, HttpCase):
    """Each rule of the contracts tested as the user it restricts, through the ORM and
    over JSON-RPC as the web client sends it."""

    # ContractCase already serves the HTTP requests with the test's cursor
    registry_test_mode = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls.make_contract(cls.rep, title="Own draft")
        cls.mates = cls.make_contract(cls.mate, title="Mate's draft")
        cls.others = cls.make_contract(cls.other_rep, title="Other team's draft")
        cls.signed = cls.signed_contract(cls.rep, title="Own signed")
        cls.others_signed = cls.signed_contract(cls.other_rep, title="Other team's signed")
        cls.company_a_contracts = cls.own | cls.mates | cls.others | cls.signed | cls.others_signed
        cls.company_b = cls.env["res.company"].create({"name": "西安分公司"})
        cls.desk_b = new_test_user(
            cls.env,
            login="ct_desk_b",
            groups="sales_assistant.group_assistant_desk",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.contract_b = cls.make_contract(cls.desk_b, title="Company B")
        cls.legal_rep = new_test_user(
            cls.env,
            login="ct_legal_rep",
            groups="sales_team.group_sale_salesman,sales_assistant.group_contract_legal",
        )

    def visible(self, user, model="sales.contract"):
        """The contracts of ``model`` (a contract, installment or line) that ``user`` finds."""
        everything = self.company_a_contracts | self.contract_b
        if model == "sales.contract":
            return self.env[model].with_user(user).search([("id", "in", everything.ids)])
        found = self.env[model].with_user(user).search([("contract_id", "in", everything.ids)])
        return found.contract_id

    def rpc_as(self, user):
        self.authenticate(user.login, user.login)

    # ------------------------------------------------------------------
    # Who sees what
    # ------------------------------------------------------------------
    def test_a_rep_reads_and_drafts_their_own_contracts_not_another_reps(self):
        self.assertEqual(self.visible(self.rep), self.own | self.signed)
        with self.assertRaises(AccessError):
            self.others.with_user(self.rep).read(["amount"])
        with self.assertRaises(AccessError):
            self.mates.with_user(self.rep).write({"title": "Mine now"})
        self.own.with_user(self.rep).write({"title": "Revised"})
        self.assertEqual(self.own.title, "Revised")
        self.assertEqual(self.mates.title, "Mate's draft")

    def test_a_rep_finds_only_their_own_contracts_over_rpc(self):
        self.rpc_as(self.rep)
        found = call_kw(
            self,
            "sales.contract",
            "search_read",
            [[("id", "in", self.company_a_contracts.ids)]],
            kwargs={"fields": ["name"]},
        )
        self.assertEqual({r["id"] for r in found}, set((self.own | self.signed).ids))
        with self.assertRaisesRegex(RpcError, "not allowed|access"):
            call_kw(self, "sales.contract", "read", [self.others.ids, ["amount"]])

    def test_a_team_leader_reads_the_contracts_of_the_team(self):
        team = self.own | self.mates | self.signed
        self.assertEqual(self.visible(self.leader), team)
        self.assertEqual(self.visible(self.leader, "sales.contract.line"), team)
        with self.assertRaises(AccessError):
            self.others.with_user(self.leader).read(["amount"])

    def test_the_desk_the_general_manager_and_legal_read_every_contract_of_their_company(self):
        for user in (self.desk, self.general_manager, self.legal, self.finance):
            with self.subTest(user=user.login):
                self.assertEqual(self.visible(user), self.company_a_contracts)
                self.assertEqual(
                    self.visible(user, "sales.contract.line"), self.company_a_contracts
                )

    def test_legal_and_finance_read_but_never_write(self):
        for user in (self.legal, self.finance):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.others.with_user(user).write({"title": "Edited by a reader"})
                with self.assertRaises(AccessError):
                    self.others.line_ids.with_user(user).write({"price_unit": 1.0})
                with self.assertRaises(AccessError):
                    self.others.with_user(user).action_submit()
        self.assertEqual(self.others.title, "Other team's draft")
        self.assertEqual(self.others.state, "draft")

    def test_a_legal_reviewer_who_also_sells_writes_only_their_own_contracts(self):
        self.assertEqual(self.visible(self.legal_rep), self.company_a_contracts)
        with self.assertRaises(AccessError):
            self.others.with_user(self.legal_rep).write({"title": "Edited by legal"})
        with self.assertRaises(AccessError):
            self.others_signed.with_user(self.legal_rep).action_renew()
        with self.assertRaises(AccessError):
            self.others.with_user(self.legal_rep).unlink()
        self.assertTrue(self.others.exists())
        self.assertEqual(self.others.title, "Other team's draft")

    def test_the_desk_edits_every_contract_of_its_company(self):
        self.others.with_user(self.desk).write({"title": "Checked by the desk"})
        self.assertEqual(self.others.title, "Checked by the desk")

    def test_a_user_of_another_company_sees_no_contract_even_with_the_desk_group(self):
        for model in ("sales.contract", "sales.contract.line"):
            with self.subTest(model=model):
                self.assertEqual(self.visible(self.desk_b, model), self.contract_b)
        with self.assertRaises(AccessError):
            self.own.with_user(self.desk_b).read(["amount"])
        self.assertEqual(self.visible(self.desk), self.company_a_contracts)
        self.rpc_as(self.desk_b)
        found = call_kw(
            self, "sales.contract", "search", [[("id", "in", self.company_a_contracts.ids)]]
        )
        self.assertEqual(found, [])

    def test_installments_and_lines_follow_their_contract(self):
        own = self.make_contract(
            schedule_ids=[Command.create({"date_due": self.today, "kind": "percent", "value": 100})]
        )
        others = self.make_contract(
            self.other_rep,
            schedule_ids=[
                Command.create({"date_due": self.today, "kind": "percent", "value": 100})
            ],
        )
        Installment = self.env["sales.contract.installment"].with_user(self.rep)
        found = Installment.search([("contract_id", "in", (own | others).ids)])
        self.assertEqual(found.contract_id, own)
        with self.assertRaises(AccessError):
            others.schedule_ids.with_user(self.rep).read(["value"])
        with self.assertRaises(AccessError):
            others.line_ids.with_user(self.rep).read(["price_unit"])
        self.assertEqual(self.visible(self.rep, "sales.contract.line"), self.own | self.signed)
        leader_found = Installment.with_user(self.leader).search(
            [("contract_id", "in", (own | others).ids)]
        )
        self.assertEqual(leader_found.contract_id, own)
        self.assertEqual(
            Installment.with_user(self.desk)
            .search([("contract_id", "in", (own | others).ids)])
            .contract_id,
            own | others,
        )

    # ------------------------------------------------------------------
    # Hostile paths
    # ------------------------------------------------------------------
    def test_a_rep_cannot_write_the_flow_fields_over_rpc(self):
        self.rpc_as(self.rep)
        for vals in (
            {"state": "signed"},
            {"date_signed": str(self.today)},
            {"is_head": False},
            {"name": "HT-FORGED"},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(RpcError, "use the buttons"):
                call_kw(self, "sales.contract", "write", [self.own.ids, vals])
        self.own.invalidate_recordset()
        self.assertEqual(
            (self.own.state, self.own.date_signed, self.own.is_head), ("draft", False, True)
        )
        self.assertTrue(self.own.name.startswith("HT"))

    def test_a_rep_cannot_forge_a_signed_contract_by_creating_or_copying_it(self):
        self.rpc_as(self.rep)
        forged = {
            "state": "signed",
            "date_signed": str(self.today),
            "version": 4,
            "name": "HT-FORGED",
        }
        created = call_kw(
            self,
            "sales.contract",
            "create",
            [
                {
                    "partner_id": self.customer.id,
                    "amount": 10.0,
                    "date_start": str(self.today),
                    **forged,
                }
            ],
        )
        copied = call_kw(
            self, "sales.contract", "copy", [self.signed.ids], kwargs={"default": forged}
        )
        for contract in self.env["sales.contract"].browse([created, *copied]):
            self.assertEqual(
                (contract.state, contract.date_signed, contract.version), ("draft", False, 1)
            )
            self.assertNotEqual(contract.name, "HT-FORGED")

    def test_a_rep_cannot_add_an_installment_or_a_line_to_a_signed_contract(self):
        for model, vals in (
            ("sales.contract.installment", {"date_due": self.today, "value": 10.0}),
            ("sales.contract.line", {"name": "Free extra", "price_unit": 0.0}),
        ):
            with self.subTest(model=model), self.assertRefused(UserError, "never edited in place"):
                self.env[model].with_user(self.rep).create({"contract_id": self.signed.id, **vals})
        self.rpc_as(self.rep)
        with self.assertRaisesRegex(RpcError, "never edited in place"):
            call_kw(
                self,
                "sales.contract.line",
                "create",
                [{"contract_id": self.signed.id, "name": "Free extra", "price_unit": 0.0}],
            )
        self.assertEqual(len(self.signed.line_ids), 1)
        self.assertFalse(self.signed.schedule_ids)

    def test_a_rep_cannot_add_an_installment_or_a_line_to_another_reps_contract(self):
        for model, vals in (
            ("sales.contract.installment", {"date_due": self.today, "value": 100.0}),
            ("sales.contract.line", {"name": "Extra", "price_unit": 5.0}),
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.rep).create({"contract_id": self.others.id, **vals})
        self.rpc_as(self.rep)
        with self.assertRaisesRegex(RpcError, "not allowed|access"):
            call_kw(
                self,
                "sales.contract.line",
                "create",
                [{"contract_id": self.others.id, "name": "Extra", "price_unit": 5.0}],
            )
        self.assertEqual(len(self.others.line_ids), 1)
        self.assertFalse(self.others.schedule_ids)

    def test_a_rep_cannot_move_a_line_of_their_own_to_another_contract(self):
        line = self.own.line_ids
        for target in (self.others, self.signed):
            with self.subTest(target=target.title), self.assertRefused(UserError, "belongs to"):
                line.with_user(self.rep).write({"contract_id": target.id})
        self.assertEqual(line.contract_id, self.own)
        self.assertEqual(len(self.others.line_ids), 1)

    def test_a_rep_cannot_sign_another_reps_contract_or_a_draft(self):
        approved = self.make_contract(self.other_rep)
        approved.action_submit()
        with self.assertRaises(AccessError):
            self.sign(approved, user=self.rep)
        with self.assertRefused(UserError, "approved before"):
            self.sign(self.own, user=self.rep)
        self.assertEqual(
            (approved.state, approved.scan_ids), ("approved", self.env["ir.attachment"])
        )
        self.assertEqual(self.own.state, "draft")
        self.rpc_as(self.rep)
        wizard = call_kw(
            self,
            "sales.contract.sign",
            "create",
            [
                {
                    "contract_id": approved.id,
                    "date_signed": str(self.today),
                    "scan": base64.b64encode(PDF_SCAN).decode(),
                    "scan_name": "signed.pdf",
                }
            ],
        )
        with self.assertRaisesRegex(RpcError, "not allowed|access"):
            call_kw(self, "sales.contract.sign", "action_sign", [[wizard]])
        self.assertEqual(approved.state, "approved")

    def test_a_rep_cannot_run_the_contract_buttons_on_contracts_they_cannot_write(self):
        for method in (
            "action_new_version",
            "action_renew",
            "action_complete",
            "action_cancel",
            "action_terminate",
            "action_submit",
            "action_back_to_draft",
            "action_open_sign",
        ):
            for user, contract in (
                (self.rep, self.others_signed),
                (self.legal, self.others_signed),
                (self.finance, self.others_signed),
            ):
                with self.subTest(method=method, user=user.login), self.assertRaises(AccessError):
                    getattr(contract.with_user(user), method)()
        self.assertEqual(self.others_signed.state, "signed")
        self.assertEqual(
            self.env["sales.contract"].search_count([("root_id", "=", self.others_signed.id)]),
            1,
        )
        self.assertFalse(
            self.env["sales.contract"].search([("renewed_from_id", "=", self.others_signed.id)])
        )

    def test_the_contract_buttons_are_refused_over_rpc_too(self):
        self.rpc_as(self.rep)
        for method in ("action_new_version", "action_renew", "action_complete", "action_cancel"):
            with (
                self.subTest(method=method),
                self.assertRaisesRegex(RpcError, "not allowed|access"),
            ):
                call_kw(self, "sales.contract", method, [self.others_signed.ids])
        self.assertEqual(self.others_signed.state, "signed")

    def test_a_signed_contract_is_deleted_by_nobody(self):
        for user in (self.rep, self.desk, self.general_manager):
            with self.subTest(user=user.login), self.assertRefused(UserError, "only drafts"):
                self.signed.with_user(user).unlink()
        self.assertTrue(self.signed.exists())

    def test_a_contract_with_orders_cannot_be_deleted(self):
        self.env["sale.order"].create(
            {"partner_id": self.customer.id, "user_id": self.rep.id, "contract_id": self.own.id}
        )
        with self.assertRefused(UserError, "has orders"):
            self.own.with_user(self.rep).unlink()
        self.assertTrue(self.own.exists())
        self.mates.with_user(self.mate).unlink()  # a draft without orders goes
        self.assertFalse(self.mates.exists())

    def test_the_signed_scan_cannot_be_deleted_or_replaced(self):
        scan = self.signed.scan_ids
        with self.assertRefused(UserError, "signed scan"):
            scan.with_user(self.rep).unlink()
        with self.assertRefused(UserError, "signed scan"):
            scan.with_user(self.rep).write({"datas": base64.b64encode(b"%PDF-1.4 forged")})
        self.rpc_as(self.rep)
        with self.assertRaisesRegex(RpcError, "signed scan"):
            call_kw(self, "ir.attachment", "unlink", [scan.ids])
        self.assertEqual(scan.raw, PDF_SCAN)
