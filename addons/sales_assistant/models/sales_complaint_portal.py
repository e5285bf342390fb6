import os
from datetime import timedelta

from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import consteq, plaintext2html
from odoo.tools.mimetypes import guess_mimetype

from ..tools.scans import check_scan
from .sales_complaint import COMPLAINT_FLOW

PORTAL_CATEGORIES = ("quality", "delivery", "service", "billing", "other")
PORTAL_SUBJECT_MAX = 200
PORTAL_DESCRIPTION_MAX = 10000
PORTAL_FILES_MAX = 5
# complaints filed from the portal on one order within a day: each reaches the team's group
# robots and the complaint desk, so a link holder cannot flood them (a review of #21)
PORTAL_DAILY_MAX = 5


class SalesComplaint(models.Model):
    """The customer's side of a complaint: filed from the portal's order page, followed on
    /my/complaints. The customer reads their own complaints (record rule) and adds messages
    to the chatter; everything else they send goes through ``_create_from_portal``."""

    _inherit = "sales.complaint"

    # the customer, who only reads their complaint, can still write in its chatter
    _mail_post_access = "read"

    def message_post(self, **kwargs):
        """A customer posting on their complaint straight over RPC (the portal's chatter and
        the complaint form post as superuser, after their own checks) posts as themselves,
        to the complaint's followers only: never as the rep or the desk, never to others.
        Whatever the path, a customer's post is a comment, never an event of the complaint's
        flow (closed, escalated) nor a system notification."""
        user = self.env.user
        if user.share:
            self._check_customer_comment(kwargs)
        if user.share and not self.env.su:
            author = kwargs.get("author_id")
            partners = set(kwargs.get("partner_ids") or [])
            followers = set(self.sudo().message_partner_ids.ids)
            if (
                (author and author != user.partner_id.id)
                or kwargs.get("email_from")
                or partners - followers
            ):
                raise AccessError(
                    self.env._(
                        "You post on your complaint as yourself, to the people who follow it."
                    )
                )
        return super().message_post(**kwargs)

    def _check_customer_comment(self, kwargs):
        """Refuse a customer's post that is not a comment; one without a type is a comment
        (``kwargs``, the post's arguments, gets that type)."""
        comment = self.env.ref("mail.mt_comment")
        subtype = kwargs.get("subtype_id") or (
            kwargs.get("subtype_xmlid")
            and self.env["ir.model.data"]._xmlid_to_res_id(
                kwargs["subtype_xmlid"], raise_if_not_found=False
            )
        )
        kwargs.setdefault("message_type", "comment")
        if kwargs["message_type"] != "comment" or (subtype and subtype != comment.id):
            raise AccessError(
                self.env._("You post comments on your complaint: its events are the team's.")
            )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"
        return result

    # ------------------------------------------------------------------
    # Who may file from the portal
    # ------------------------------------------------------------------
    @api.model
    def _portal_order_problem(self, order, access_token=None):
        """Why the current user cannot file a complaint on ``order`` from the portal:
        'access' (not their order and no valid token), 'staff' (internal users file in the
        back office), 'state' (not a confirmed order); None when they can."""
        order_sudo = order.sudo().exists()
        user = self.env.user
        if not order_sudo or len(order_sudo) != 1:
            return "access"
        if not user.share:
            return "staff"
        own = (
            not user._is_public()
            and user.partner_id.commercial_partner_id == order_sudo.partner_id.commercial_partner_id
        )
        token_ok = bool(
            access_token
            and order_sudo.access_token
            and consteq(str(access_token), order_sudo.access_token)
        )
        if not own and not token_ok:
            return "access"
        if order_sudo.state != "sale":
            return "state"
        return None

    @api.model
    def _portal_complaint_url(self, order, access_token=None):
        """The "Report a Problem" link of the order's portal page for the current viewer,
        False when they cannot file there (staff previewing the page, an order not
        confirmed)."""
        if self._portal_order_problem(order, access_token):
            return False
        url = f"/my/orders/{order.id}/complaint"
        return f"{url}?{url_encode({'access_token': access_token})}" if access_token else url

    @api.model
    def _portal_order_complaints(self, order):
        """The complaints on ``order`` that the viewer of its portal page may follow: their
        own (the record rule), none for a visitor with the order's link alone."""
        if not self.has_access("read"):
            return self.browse()
        return self.search([("order_id", "=", order.id)])

    @api.model
    def _portal_order_message(self, problem):
        return {
            "access": self.env._("This order does not exist or you cannot report a problem on it."),
            "staff": self.env._(
                "Staff record complaints in the back office, from the order or the customer."
            ),
            "state": self.env._("You can report a problem only on a confirmed order."),
        }[problem]

    @api.model
    def _portal_order_products(self, order):
        """The products a complaint on ``order`` may name: those of its lines (no section,
        note or down payment)."""
        lines = order.sudo().order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )
        return lines.product_id

    # ------------------------------------------------------------------
    # Filing
    # ------------------------------------------------------------------
    @api.model
    def _create_from_portal(self, order, values, files, access_token=None):
        """File the customer's complaint on ``order`` from the portal, as the customer.

        ``values``: the form (only category, subject, description and product_id are read);
        ``files``: a list of ``(filename, content bytes)``, each a photo or a PDF (checked on
        its content and size). The order must be the portal user's (their commercial
        partner's) or ``access_token`` the order's: the controller checked it, this checks it
        again. Everything is checked before anything is written.

        :return: the complaint (as superuser: the customer cannot create one directly)
        :raise AccessError: not the customer's order
        :raise ValidationError: bad values or files; nothing is written"""
        problem = self._portal_order_problem(order, access_token)
        if problem == "access":
            raise AccessError(self._portal_order_message(problem))
        if problem:
            raise ValidationError(self._portal_order_message(problem))
        order = order.sudo()
        since = fields.Datetime.now() - timedelta(days=1)
        if (
            self.sudo().search_count(
                [
                    ("order_id", "=", order.id),
                    ("source", "=", "portal"),
                    ("create_date", ">=", since),
                ]
            )
            >= PORTAL_DAILY_MAX
        ):
            raise ValidationError(
                self.env._(
                    "%(count)s problems were already reported on %(order)s today: the team is "
                    "on them. Please add to one of them from My Complaints, or try again "
                    "tomorrow.",
                    count=PORTAL_DAILY_MAX,
                    order=order.name,
                )
            )
        vals = self._portal_complaint_values(order, values or {})
        attachments = self._portal_check_files(files or [])

        author = order.partner_id if self.env.user._is_public() else self.env.user.partner_id
        complaint = self.sudo().with_context(sales_complaint_flow=COMPLAINT_FLOW).create(vals)
        # the flow marker served create (the source); what follows is plain
        complaint = complaint.with_context(sales_complaint_flow=None)
        # pending attachments of the customer, as the portal's composer makes them: the post
        # links them to the complaint; their type is the one found in their content
        attachment_records = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "raw": content,
                        "mimetype": mimetype,
                        "res_model": "mail.compose.message",
                        "res_id": 0,
                    }
                    for name, content, mimetype in attachments
                ]
            )
        )
        complaint.message_post(
            author_id=author.id,
            body=vals["description"]
            or plaintext2html(self.env._("Complaint filed: %s", complaint.subject)),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=attachment_records.ids,
        )
        return complaint

    @api.model
    def _portal_complaint_values(self, order, values):
        """The complaint's values from the form, whitelisted and checked."""
        category = values.get("category") or "quality"
        if category not in PORTAL_CATEGORIES:
            raise ValidationError(self.env._("Please choose a category from the list."))
        subject = " ".join(str(values.get("subject") or "").split())
        if not subject:
            raise ValidationError(self.env._("Please enter a subject for your complaint."))
        if len(subject) > PORTAL_SUBJECT_MAX:
            raise ValidationError(
                self.env._("The subject is too long (%s characters at most).", PORTAL_SUBJECT_MAX)
            )
        description = str(values.get("description") or "").strip()
        if len(description) > PORTAL_DESCRIPTION_MAX:
            raise ValidationError(
                self.env._(
                    "The description is too long (%s characters at most).",
                    PORTAL_DESCRIPTION_MAX,
                )
            )
        product = self.env["product.product"]
        raw_product = values.get("product_id")
        if raw_product:
            try:
                product_id = int(raw_product)
            except (TypeError, ValueError):
                product_id = 0
            product = self._portal_order_products(order).filtered(lambda p: p.id == product_id)
            if not product:
                raise ValidationError(self.env._("Please choose a product of this order."))
        vals = {
            "order_id": order.id,
            "partner_id": order.partner_id.id,
            "company_id": order.company_id.id,
            "category": category,
            "subject": subject,
            "description": plaintext2html(description) if description else False,
            "source": "portal",
        }
        if product:  # else the complaint's own defaults (the order's only product)
            vals["product_id"] = product.id
        return vals

    @api.model
    def _portal_check_files(self, files):
        """``[(name, content, mimetype)]`` of the uploaded files, each a photo or a PDF of at
        most the scan size, checked on its content; a ValidationError names the bad one."""
        files = [(name, content) for name, content in files if content]
        if len(files) > PORTAL_FILES_MAX:
            raise ValidationError(self.env._("Please attach %s files at most.", PORTAL_FILES_MAX))
        checked = []
        for name, content in files:
            name = os.path.basename(str(name or "").replace("\\", "/"))[:128] or "attachment"
            check_scan(self.env, content, self.env._("The file %s", name))
            checked.append((name, content, guess_mimetype(content)))
        return checked
