from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .common import ContractCase


@tagged("post_install", "-at_install")
class TestContractReport(ContractCase):
    def render(self, contract, user=None):
        report = self.env.ref("sales_assistant.action_report_sales_contract")
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(user or self.rep)
            ._render_qweb_html(report.report_name, contract.ids)
        )
        return html.decode()

    def test_a_rep_prints_their_signed_contract_with_its_number_and_terms(self):
        contract = self.signed_contract(
            delivery_terms="Delivered to the Wuxi plant, DAP",
            schedule_ids=[
                Command.create({"date_due": self.today, "kind": "percent", "value": 30}),
                Command.create(
                    {"date_due": self.today + timedelta(days=90), "kind": "percent", "value": 70}
                ),
            ],
        )
        html = self.render(contract)
        for expected in (
            contract.name,
            "Version",
            self.customer.name,
            "Framework agreement" if contract.contract_type == "framework" else "One-off contract",
            "100,000.00",
            "Delivered to the Wuxi plant, DAP",
            "Switchgear",
            "30,000.00",
            "70,000.00",
        ):
            self.assertIn(expected, html)

    def test_a_change_version_prints_what_changed(self):
        first = self.signed_contract()
        second = self.env["sales.contract"].browse(first.action_new_version()["res_id"])
        second.with_user(self.rep).write({"amount": 120000.0, "change_reason": "More bays"})
        html = self.render(second)
        self.assertIn(second.name, html)
        self.assertIn(f"v{second.version}", second.display_name)
        self.assertRegex(html, r"Version</span>\s*<span[^>]*>2</span>")
        self.assertIn("120,000.00", html)
        self.assertIn("More bays", html)
        self.assertIn("100000.0 → 120000.0", html)
        # the version in force prints too, as it stands
        self.assertIn("100,000.00", self.render(first))

    def test_the_print_button_is_on_the_contract_form(self):
        contract = self.make_contract()
        arch = contract.with_user(self.rep).get_views([(False, "form")])["views"]["form"]["arch"]
        report = self.env.ref("sales_assistant.action_report_sales_contract")
        self.assertIn(f'name="{report.id}"', arch)
        self.assertEqual(report.binding_model_id.model, "sales.contract")
