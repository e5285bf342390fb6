from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from ..tools.scans import SCAN_MAX_BYTES

FORM_FIELDS = ("category", "subject", "description", "product_id")


class ComplaintPortal(CustomerPortal):
    """The customer files a complaint from the portal's order page and follows it on
    /my/complaints. Access is the portal's own: the customer's orders, or the order's access
    token; the rules of filing live in ``sales.complaint._create_from_portal``."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            Complaint = request.env["sales.complaint"]
            values["complaint_count"] = (
                Complaint.search_count(self._complaint_domain())
                if Complaint.has_access("read")
                else 0
            )
        return values

    def _complaint_domain(self):
        """The complaints of the user's company (the customer), whoever of its people filed."""
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "child_of", [partner.id])]

    # ------------------------------------------------------------------
    # Filing
    # ------------------------------------------------------------------
    def _complaint_refused(self, message, status=403):
        """A page that says no and shows nothing of the record, not even whether it exists."""
        return request.render(
            "sales_assistant.portal_complaint_refused", {"message": message}, status=status
        )

    @http.route(
        "/my/orders/<int:order_id>/complaint",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_order_complaint(self, order_id, access_token=None, **post):
        Complaint = request.env["sales.complaint"]
        try:
            order_sudo = self._document_check_access("sale.order", order_id, access_token)
        except (AccessError, MissingError):
            return self._complaint_refused(Complaint._portal_order_message("access"))
        problem = Complaint._portal_order_problem(order_sudo, access_token)
        if problem:
            return self._complaint_refused(Complaint._portal_order_message(problem))
        values = {
            "sale_order": order_sudo,
            "access_token": access_token,
            "categories": Complaint._fields["category"]._description_selection(request.env),
            "products": Complaint._portal_order_products(order_sudo),
            "form": {"category": "quality"},
            "page_name": "complaint_new",
        }
        if request.httprequest.method == "POST":
            form = {key: post.get(key) for key in FORM_FIELDS}
            values["form"] = form
            try:
                with request.env.cr.savepoint():
                    complaint = Complaint._create_from_portal(
                        order_sudo.with_env(request.env),
                        form,
                        self._complaint_files(),
                        access_token=access_token,
                    )
            except AccessError:
                return self._complaint_refused(Complaint._portal_order_message("access"))
            except (ValidationError, UserError) as error:
                values["error"] = error.args[0]
            else:
                return request.render(
                    "sales_assistant.portal_complaint_filed",
                    {
                        "complaint": complaint,
                        "sale_order": order_sudo,
                        "access_token": access_token,
                    },
                )
        return request.render("sales_assistant.portal_complaint_form", values)

    def _complaint_files(self):
        """The uploaded files as ``(name, content)``: read up to one byte over the limit, so
        that an oversized file is refused without being read whole."""
        files = []
        for upload in request.httprequest.files.getlist("attachments"):
            if not upload or not upload.filename:
                continue
            files.append((upload.filename, upload.read(SCAN_MAX_BYTES + 1)))
        return files

    # ------------------------------------------------------------------
    # Following
    # ------------------------------------------------------------------
    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_complaints(self, page=1, **kw):
        Complaint = request.env["sales.complaint"]
        values = self._prepare_portal_layout_values()
        if not Complaint.has_access("read"):
            return request.redirect("/my")
        domain = self._complaint_domain()
        total = Complaint.search_count(domain)
        pager = portal_pager(
            url="/my/complaints", total=total, page=page, step=self._items_per_page
        )
        complaints = Complaint.search(
            domain,
            order="create_date desc, id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_complaints_history"] = complaints.ids[:100]
        values.update(
            {
                "complaints": complaints.sudo(),
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
            }
        )
        return request.render("sales_assistant.portal_my_complaints", values)

    @http.route("/my/complaints/<int:complaint_id>", type="http", auth="public", website=True)
    def portal_my_complaint(self, complaint_id, access_token=None, **kw):
        try:
            complaint_sudo = self._document_check_access(
                "sales.complaint", complaint_id, access_token
            )
        except (AccessError, MissingError):
            return self._complaint_refused(
                request.env._("This complaint does not exist or you cannot open it."), status=404
            )
        values = {"complaint": complaint_sudo, "page_name": "complaint"}
        values = self._get_page_view_values(
            complaint_sudo, access_token, values, "my_complaints_history", False
        )
        return request.render("sales_assistant.portal_complaint_page", values)
