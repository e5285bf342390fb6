from werkzeug.urls import url_encode

from odoo import http
from odoo.http import request

from ..tools.http import request_ip

PAGE = "sales_compliance.approval_link_page"


class ApprovalLinkController(http.Controller):
    """The phone-size approval page of a signed link (``sales.compliance.approval.link``):
    GET shows what is asked, POST decides. The link's rules live in the model
    (``_resolve``, ``_decide_by_token``); this only renders their answer."""

    @http.route(
        "/sales/approval/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
    )
    def approval_link(self, token, decision=None, comment=None, **_kw):
        visitor = request.env.user
        named = request.env["sales.compliance.approval.link"]._from_token(token)
        if named and visitor._is_public():
            # the page speaks the approver's language (a logged-in visitor's own)
            request.update_context(
                lang=named.user_id.lang or request.env.lang, tz=named.user_id.tz or "UTC"
            )
        Link = request.env["sales.compliance.approval.link"]
        if request.httprequest.method == "POST":
            link, refusal = Link._decide_by_token(token, decision, comment, request_ip(), visitor)
            decided = None if refusal else decision
        else:
            link, refusal = Link._resolve(token, visitor)
            decided = None
        if refusal and refusal["code"] == "login":
            path = request.httprequest.path
            return request.redirect("/web/login?" + url_encode({"redirect": path}), code=303)
        values = link.with_env(request.env(su=True))._page_values(refusal, decided)
        values["comment"] = comment or ""
        status = refusal["status"] if refusal else 200
        return request.render(PAGE, values, status=status)
