import json
import re


class RpcError(Exception):
    """The error a JSON-RPC client gets, with the message the user reads."""


def call_kw(case, model, method, args, kwargs=None):
    """``model.method(*args, **kwargs)`` over JSON-RPC, as the user ``case`` authenticated."""
    response = case.url_open(
        f"/web/dataset/call_kw/{model}/{method}",
        data=json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            }
        ),
        headers={"Content-Type": "application/json"},
    )
    response.raise_for_status()
    body = response.json()
    if "error" in body:
        raise RpcError(body["error"]["data"]["message"])
    return body["result"]


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
