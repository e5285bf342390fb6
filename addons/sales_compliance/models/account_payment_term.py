from odoo import models


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    def _compliance_is_cash(self):
        """No payment term, or every installment due immediately: cash trading."""
        return all(
            line.nb_days == 0 and line.delay_type == "days_after"
            for term in self
            for line in term.line_ids
        )
