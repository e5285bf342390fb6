"""Our sales contracts next to OCA's ``agreement_legal`` (and ``agreement``): the contract
tests of ``sales_assistant`` run again in this database, and the two documents of one
customer keep their own numbers, states and signed files."""

import base64

from odoo.addons.sales_assistant.tests import (
    test_contract_access,
    test_contract_flow,
    test_contract_report,
)
from odoo.addons.sales_assistant.tests.common import PDF_SCAN, ContractCase
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestContractFlowNextToAgreement(test_contract_flow.TestContractFlow):
    allow_inherited_tests_method = True  # Odoo's runner takes their tests


@tagged("post_install", "-at_install")
class TestContractReviewNextToAgreement(test_contract_flow.TestContractReview):
    allow_inherited_tests_method = True  # Odoo's runner takes their tests


@tagged("post_install", "-at_install")
class TestContractAccessNextToAgreement(test_contract_access.TestContractAccess):
    allow_inherited_tests_method = True  # Odoo's runner takes their tests


@tagged("post_install", "-at_install")
class TestContractReportNextToAgreement(test_contract_report.TestContractReport):
    allow_inherited_tests_method = True  # Odoo's runner takes their tests


@tagged("post_install", "-at_install")
class TestContractAndAgreementOfOneCustomer(ContractCase):
    def test_an_agreement_and_a_contract_keep_their_own_numbers_and_signed_files(self):
        agreement = self.env["agreement"].create(
            {
                "name": "Switchgear framework (OCA)",
                "partner_id": self.customer.id,
                "signed_contract": base64.b64encode(PDF_SCAN),
                "signed_contract_filename": "agreement.pdf",
            }
        )
        contract = self.signed_contract()
        self.assertTrue(contract.name.startswith("HT"))
        self.assertNotEqual(agreement.code, contract.name)
        self.assertEqual(contract.state, "signed")
        # OCA's signed document stays theirs to replace; our signed scan is never replaced
        agreement.signed_contract = base64.b64encode(PDF_SCAN + b"% revised")
        with self.assertRefused(UserError, "signed scan"):
            contract.scan_ids.with_user(self.rep).unlink()
        self.assertEqual(contract.scan_ids.raw, PDF_SCAN)
