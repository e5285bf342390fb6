import binascii
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_datetime
from odoo.tools.misc import hash_sign, verify_hash_signed

LINK_SCOPE = "sales_compliance.approval_link"
DEFAULT_LINK_HOURS = 72

# why a link decides nothing: (code, HTTP status of the page that says so)
REFUSAL_STATUS = {
    "invalid": 403,
    "inactive": 403,
    "other_user": 403,
    "used": 200,
    "expired": 200,
    "changed": 200,
    "not_current": 200,
    "refused": 200,
}


class SalesComplianceApprovalLink(models.Model):
    """A signed link that lets one approver decide one step of an approval request, from
    the request e-mail (``channel`` link) or a group robot's message (``channel`` robot).

    The token is signed (``hash_sign`` with the database secret) and names the link; the
    link is used once, expires, and is bound to the values hash of its request: a record
    changed since the request approves nothing."""

    _name = "sales.compliance.approval.link"
    _description = "Approval Link"
    _order = "id desc"

    approval_id = fields.Many2one(
        "sales.compliance.approval", required=True, readonly=True, ondelete="cascade", index=True
    )
    step_id = fields.Many2one(
        "sales.compliance.approval.step", required=True, readonly=True, ondelete="cascade"
    )
    user_id = fields.Many2one("res.users", string="Approver", required=True, readonly=True)
    channel = fields.Selection(
        [("link", "E-mail Link"), ("robot", "Group Robot Link")], required=True, readonly=True
    )
    values_hash = fields.Char(readonly=True, required=True)
    expires_at = fields.Datetime(required=True, readonly=True)
    used_at = fields.Datetime(readonly=True)
    used_ip = fields.Char(readonly=True)
    company_id = fields.Many2one(related="approval_id.company_id", store=True)

    @api.model
    def _linkable_approvers(self, approval):
        """The approvers of the current step of ``approval`` who may decide it (those
        ``_issue`` gives a link): an approver who became a party of the case meanwhile
        (made the customer's owner) gets none, and holds up nobody else's link."""
        approval = approval.sudo()
        return approval.current_step_id.approver_ids.filtered(
            lambda user: not approval.with_user(user).sudo()._decision_refusal(with_record=False)
        )

    @api.model
    def _issue(self, approval, user, channel="link"):
        """A new link for ``user`` on the current step of ``approval``; returns its URL
        (absolute, on the company's web base URL). Only an approver who may decide the
        current step gets one: never the requester, the salesperson or the customer's
        owner (four eyes), nor anyone else (a ``UserError``)."""
        approval = approval.sudo()
        # the rules of a decision, as ``user`` (read with sudo: who is no approver may
        # not even read the request)
        refusal = approval.with_user(user).sudo()._decision_refusal(with_record=False)
        if refusal:
            raise UserError(
                self.env._(
                    "No approval link for %(user)s: %(reason)s",
                    user=user.name,
                    reason=refusal.args[0],
                )
            )
        hours = approval.company_id.approval_link_hours or DEFAULT_LINK_HOURS
        link = self.sudo().create(
            {
                "approval_id": approval.id,
                "step_id": approval.current_step_id.id,
                "user_id": user.id,
                "channel": channel,
                "values_hash": approval.values_hash,
                "expires_at": fields.Datetime.now() + timedelta(hours=hours),
            }
        )
        return link._url()

    def _token(self):
        self.ensure_one()
        return hash_sign(self.sudo().env, LINK_SCOPE, [self.id, self.user_id.id])

    def _url(self):
        self.ensure_one()
        base = self.approval_id.sudo().get_base_url()
        return f"{base}/sales/approval/{self._token()}"

    # ------------------------------------------------------------------
    # Resolving a token (the approval page, ``controllers/approval_link.py``)
    # ------------------------------------------------------------------
    @api.model
    def _from_token(self, token):
        """The link a token names (sudo), or an empty recordset for a token that is not
        ours: a bad signature, a malformed token, a link that no longer exists."""
        try:
            payload = verify_hash_signed(self.sudo().env, LINK_SCOPE, token or "")
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            payload = None
        if not (isinstance(payload, list) and len(payload) == 2):
            return self.sudo().browse()
        link_id, user_id = payload
        if not (isinstance(link_id, int) and isinstance(user_id, int)):
            return self.sudo().browse()
        link = self.sudo().browse(link_id).exists()
        return link if link.user_id.id == user_id else self.sudo().browse()

    @api.model
    def _resolve(self, token, visitor=None):
        """``(link, refusal)`` for a token opened by ``visitor`` (a user; the public user
        when nobody is logged in): the link (sudo, empty for a token that is not ours),
        and why it decides nothing, or None. A refusal is a dict: ``code`` (see
        ``REFUSAL_STATUS``; ``login`` when the visitor must log in first), ``message``
        (for the page), ``status`` (HTTP). The one home of the link's rules: the page and
        the decision both ask it."""
        link = self._from_token(token)
        if not link:
            return link, self._refusal(
                "invalid", self.env._("This approval link is not valid (or was altered).")
            )
        if not link.user_id.active:
            return link, self._refusal(
                "inactive",
                self.env._(
                    "The approver of this link, %s, is no longer a user.", link.user_id.name
                ),
            )
        visitor = visitor if visitor is not None else self.env.user
        if not visitor._is_public() and visitor != link.user_id:
            return link, self._refusal(
                "other_user",
                self.env._(
                    "This approval link is for %(approver)s, and you are logged in as "
                    "%(user)s: only its approver decides with it.",
                    approver=link.user_id.name,
                    user=visitor.name,
                ),
            )
        if visitor._is_public() and link._login_required():
            return link, {"code": "login", "message": "", "status": 303}
        # who before what: a spent link (used, expired) shows nothing of the request to
        # anyone but its approver, logged in (the page shows the summary of a refusal)
        blind = visitor._is_public()
        if link.used_at:
            return link, self._refusal(
                "used",
                self.env._(
                    "This approval link was already used on %s: a link decides once.",
                    format_datetime(self.env, link.used_at),
                ),
                blind=blind,
            )
        if link.expires_at <= fields.Datetime.now():
            return link, self._refusal(
                "expired",
                self.env._(
                    "This approval link expired on %s. Open the request in Odoo to decide.",
                    format_datetime(self.env, link.expires_at),
                ),
                blind=blind,
            )
        return link, link._state_refusal()

    def _state_refusal(self):
        """Why the request no longer waits for this link's decision, or None: the record
        changed since the request (values hash), the step was decided or is not current."""
        self.ensure_one()
        approval = self.approval_id
        record = approval._record()
        if (
            approval.state == "voided"
            or approval.values_hash != self.values_hash
            or not record
            or record._compliance_hash() != self.values_hash
        ):
            return self._refusal(
                "changed",
                self.env._(
                    "%s changed after the approval was requested: this link approves "
                    "nothing. Open the record to see what changed.",
                    approval.record_name,
                ),
            )
        if approval.state != "pending" or approval.current_step_id != self.step_id:
            return self._refusal(
                "not_current",
                self.env._(
                    "The level “%s” of this request is no longer waiting for a decision.",
                    self.step_id.name,
                ),
            )
        return None

    @api.model
    def _refusal(self, code, message, blind=False):
        """A refusal; ``blind`` when the page may not show the request's summary."""
        return {
            "code": code,
            "message": message,
            "status": REFUSAL_STATUS[code],
            "blind": blind,
        }

    def _login_required(self):
        """Whether only a logged-in approver decides with this link: always for a robot
        link (posted in a group chat, read by the whole group, the requester and the
        salesperson included), else unless the company lets the link alone decide."""
        self.ensure_one()
        return self.channel == "robot" or not self.company_id.approval_link_without_login

    @api.model
    def _decide_by_token(self, token, decision, comment, ip, visitor=None):
        """Decide with the link a token names, as its approver: ``(link, refusal)``.
        Nothing is written when refused (``refusal`` says why). The link is used once:
        it is marked used (with ``ip``) in the same transaction as the decision, by an
        UPDATE that only a link not used yet passes, so two clicks at once decide once
        (the second waits for the first's row lock, then finds it used)."""
        link, refusal = self._resolve(token, visitor)
        if refusal:
            return link, refusal
        comment = (comment or "").strip()
        if decision not in ("approve", "reject"):
            return link, self._refusal("refused", self.env._("Choose Approve or Reject."))
        if decision == "reject" and not comment:
            return link, self._refusal(
                "refused", self.env._("Please give the reason of the rejection in the comment.")
            )
        try:
            with self.env.cr.savepoint():
                if not link._claim(ip):
                    return link, self._refusal(
                        "used",
                        self.env._("This approval link was already used: a link decides once."),
                    )
                link.approval_id._decide_from(
                    link.user_id, decision, comment, link.channel, ip or False
                )
        except (UserError, AccessError) as error:
            self.env.invalidate_all()
            return link, self._refusal("refused", error.args[0])
        return link, None

    def _claim(self, ip):
        """Mark the link used, if it was not: True when this call did."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET used_at = (now() AT TIME ZONE 'UTC'), used_ip = %s "
                "WHERE id = %s AND used_at IS NULL RETURNING id",
                SQL.identifier(self._table),
                ip or None,
                self.id,
            )
        )
        claimed = bool(self.env.cr.fetchone())
        self.invalidate_recordset(["used_at", "used_ip"])
        return claimed

    def _page_values(self, refusal=None, decided=None):
        """What the approval page shows for this link (sudo): the request (its summary,
        read as the link's approver), the refusal, the decision just taken."""
        values = {"refusal": refusal, "decided": decided, "link": self, "summary": None}
        if not self:
            return values
        approval = self.approval_id
        values["record_url"] = f"/odoo/{approval.res_model}/{approval.res_id}"
        if refusal and (refusal["status"] == 403 or refusal.get("blind")):
            return values
        values["summary"] = approval.with_user(self.user_id)._request_summary()
        values["token"] = self._token()
        return values
