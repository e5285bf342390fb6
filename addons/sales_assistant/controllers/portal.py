import base64

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..tools.scans import SCAN_MAX_BYTES, check_scan


class CustomerReceiptPortal(http.Controller):
    """The customer confirms receipt of an order (客户确认收货) from the link of the delivery
    email or the order's portal page. The link's token is the only key: whoever holds it
    confirms, anyone else (another customer included) gets a clear page and changes nothing.
    """

    @http.route(
        "/my/orders/<int:order_id>/receipt",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_customer_receipt(self, order_id, token=None, **post):
        order = request.env["sale.order"].browse(order_id).exists()
        problem = order._receipt_token_problem(token) if order else "invalid"
        if problem:
            # a refused link shows nothing of the record: not even whether it exists
            values = {
                "problem": problem,
                "message": request.env["sale.order"]._receipt_token_message(problem),
            }
            status = 200 if problem == "used" else 403
            return request.render(
                "sales_assistant.portal_customer_receipt_problem", values, status=status
            )
        order_sudo = order.sudo()
        values = {"order": order_sudo, "token": token}
        values.update(
            received_by=order_sudo.partner_id.name,
            received_date=order._receipt_today(),
        )
        if request.httprequest.method == "POST":
            values.update(
                received_by=post.get("received_by"), received_date=post.get("received_date")
            )
            try:
                with request.env.cr.savepoint():
                    received_date = self._receipt_date(post.get("received_date"))
                    content, filename = self._receipt_delivery_note(post.get("delivery_note"))
                    order._receipt_confirm_from_portal(
                        token,
                        post.get("received_by"),
                        received_date,
                        content,
                        filename,
                        ip_address=request.httprequest.remote_addr,
                        user_agent=request.httprequest.user_agent.string,
                    )
            except (ValidationError, UserError) as error:
                values["error"] = error.args[0]
            else:
                return request.render("sales_assistant.portal_customer_receipt_done", values)
        return request.render("sales_assistant.portal_customer_receipt_form", values)

    def _receipt_date(self, value):
        try:
            return fields.Date.to_date(value) if value else None
        except ValueError as error:
            raise ValidationError(request.env._("Please enter a valid date.")) from error

    def _receipt_delivery_note(self, upload):
        """The uploaded photo or scan, checked on its content (not on what the browser says)."""
        if not upload or not getattr(upload, "filename", None):
            return None, None
        content = upload.read(SCAN_MAX_BYTES + 1)
        if not content:
            return None, None
        check_scan(request.env, content, request.env._("The delivery note"))
        return base64.b64encode(content), upload.filename
