import re

from odoo.addons.sales_compliance.tests.test_gate_rpc import RpcError, call_kw

__all__ = ["RpcError", "call_kw", "receipt_link"]


def receipt_link(case, order):
    """The link the customer got by e-mail to confirm receipt of ``order``."""
    mails = (
        case.env["mail.mail"]
        .sudo()
        .search([("body_html", "like", f"/my/orders/{order.id}/receipt?token=")])
    )
    case.assertEqual(len(mails), 1, "one receipt request e-mail per order")
    case.assertIn(order.partner_id, mails.recipient_ids)
    return re.search(r'href="[^"]*(/my/orders/\d+/receipt\?token=[^"]+)"', mails.body_html)[1]
