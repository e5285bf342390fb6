import re

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize, formataddr, html2plaintext, plaintext2html
from odoo.tools.mail import generate_tracking_message_id

# The first word of a reply decides (case does not matter); the rest is the comment.
DECISION_WORDS = {"approve": "approve", "同意": "approve", "reject": "reject", "驳回": "reject"}
# Chinese words need no space after them ("同意价格合理"); English words end at a non-letter
_DECISION_RE = re.compile(r"^\s*(同意|驳回|[A-Za-z]+)", re.IGNORECASE)
# Where the quoted request starts in a reply, as the usual mail clients write it
_QUOTE_RE = re.compile(
    r"^\s*(>|-{2,}\s*(original message|原始邮件)|on .+ wrote:|在.+写道|"
    r"(from|发件人)\s*[:\uff1a])",
    re.IGNORECASE,
)
# Separators between the decision word and the comment, ASCII and full-width
FULLWIDTH_PUNCTUATION = " \t\r\n,.;:!?-\uff0c\u3002\uff1b\uff1a\uff01\u3001"
# The references of our answers: a reply to an answer is dropped by the gateway (no loop)
LOOP_TAG = "loop-detection-bounce-email"


# The token of an approval link (``/sales/approval/<token>``)
_LINK_TOKEN_RE = re.compile(r"(/sales/approval/)[\w\-]+")


def reply_text(body_html):
    """The text a reply's writer wrote: the plain text above the quoted request."""
    lines = []
    for line in html2plaintext(body_html or "").splitlines():
        if _QUOTE_RE.match(line):
            break
        lines.append(line)
    return "\n".join(lines).strip()


def reply_chatter_body(body_html):
    """What the chatter keeps of a reply: its own text, without any approval link's
    token. The quoted request carries the approver's link (and figures only approvers
    read), and the request's chatter is read by its requester and salesperson."""
    return plaintext2html(_LINK_TOKEN_RE.sub(r"\1…", reply_text(body_html)))


def reply_decision(body_html):
    """``(decision, comment)`` read from a reply's body: the first word of the text above
    the quoted request decides (``approve``/``同意``, ``reject``/``驳回``), the rest of that
    text is the comment. ``decision`` is False without a decision word."""
    text = reply_text(body_html)
    match = _DECISION_RE.match(text)
    decision = match and DECISION_WORDS.get(match.group(1).lower())
    if not decision:
        return False, text
    comment = text[match.end() :].lstrip(FULLWIDTH_PUNCTUATION)
    return decision, comment.strip()


class SalesComplianceApproval(models.Model):
    _inherit = "sales.compliance.approval"

    # ------------------------------------------------------------------
    # The request e-mail
    # ------------------------------------------------------------------
    def _send_request_mails(self):
        """One request e-mail per approver of the current step, in the approver's language,
        with their own signed link (Approve / Reject) and the way to decide by replying.

        Sent as a notification of the request (``message_notify``): it is not shown in the
        chatter (each carries the link of one approver), its Message-Id routes a reply back
        here (``message_update``) and its Reply-To is the catchall of the company's alias
        domain, Odoo's normal reply-to of a record's message."""
        Link = self.env["sales.compliance.approval.link"]
        for approval in self.sudo():
            step = approval.current_step_id
            if approval.state != "pending" or not step:
                continue
            # not the requester: the author of a message reads it, and this one carries
            # the approver's link (the body names the requester)
            author = self.env.ref("base.partner_root")
            for user in Link._linkable_approvers(approval):
                lang = user.lang or approval.company_id.partner_id.lang
                url = Link._issue(approval, user, "link")
                mail_approval = approval.with_context(lang=lang)
                values = {
                    # for the approver, who may see what they decide, credit figures
                    # included (as ``approved_values`` shows them to approvers), even
                    # when no record rule lets them read the violation (a manager of
                    # another team at level two)
                    "summary": mail_approval.with_user(user)._request_summary(),
                    "approve_url": f"{url}?decision=approve",
                    "reject_url": f"{url}?decision=reject",
                    "user": user,
                }
                body = (
                    self.env["ir.qweb"]
                    .with_context(lang=lang)
                    ._render("sales_compliance.mail_template_approval_request", values)
                )
                subject = mail_approval.env._("To approve: %s", approval.name)
                # created by OdooBot: its creator reads a message, and it holds the link
                mail_approval.with_user(SUPERUSER_ID).with_context(
                    sales_approval_request_mail=True
                ).message_notify(
                    body=body,
                    subject=subject,
                    author_id=author.id,
                    partner_ids=user.partner_id.ids,
                    email_layout_xmlid="mail.mail_notification_light",
                    force_email_lang=lang,
                    force_email_company=approval.company_id,
                    # the e-mail is the request: no "Sent from Odoo" access button
                    email_add_signature=False,
                )

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        """The request e-mail goes by e-mail even to the approvers who handle their
        notifications in Odoo: they decide by replying to it or with its link."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if self.env.context.get("sales_approval_request_mail"):
            for recipient in recipients:
                if recipient.get("notif") == "inbox":
                    recipient["notif"] = "email"
        return recipients

    # ------------------------------------------------------------------
    # Reply to approve (the incoming mail gateway)
    # ------------------------------------------------------------------
    @api.private
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An approval is asked from its record, never created from an e-mail."""
        raise ValueError(
            f"Approval requests are not created from e-mails "
            f"(message {msg_dict.get('message_id')} from {msg_dict.get('email_from')})."
        )

    @api.private
    def message_update(self, msg_dict, update_vals=None):
        """A reply to a request e-mail: its first word decides (approve/同意 approves,
        reject/驳回 rejects), the rest is the comment. Only an approver of the current step,
        by their own address as Odoo knows it, decides, through ``_decide_from`` with the
        channel ``mail`` and the reply's Message-Id; anything else changes nothing and is
        answered with a short mail to the sender saying why."""
        # the gateway, and only the gateway, runs it as superuser (``message_process``):
        # nobody else hands in a message "from" an approver (never over RPC)
        if not self.env.su:
            raise AccessError(self.env._("Replies to approval requests come by e-mail only."))
        result = super().message_update(msg_dict, update_vals=update_vals)
        for approval in self:
            approval._decide_from_reply(msg_dict)
        # the gateway posts the reply in the chatter after this (the same dict): its own
        # text only, never the quoted request with the approver's link
        msg_dict["body"] = reply_chatter_body(msg_dict.get("body"))
        return result

    def _decide_from_reply(self, msg_dict):
        self.ensure_one()
        approval = self.sudo()
        sender = email_normalize(msg_dict.get("email_from") or "")
        user = approval._reply_user(sender)
        lang = user.lang or approval.company_id.partner_id.lang
        approval = approval.with_context(lang=lang)
        if not user:
            return approval._answer_reply(
                msg_dict,
                approval.env._(
                    "Your address %s is not the address of a user who can decide this "
                    "request: nothing was decided. Reply from the address of your Odoo "
                    "account, or decide in Odoo.",
                    sender or msg_dict.get("email_from") or "?",
                ),
            )
        party = approval._address_shared_with_party(user, sender)
        if party:
            # a reply from that address may come from a party of the request (a shared
            # mailbox, or a rep who took the approver's address in their preferences): it
            # cannot prove the four eyes
            return approval._answer_reply(
                msg_dict,
                approval.env._(
                    "The address %(address)s is also the address of %(party)s, who may not "
                    "decide on this request: a reply from it decides nothing. Decide in Odoo "
                    "or with the link of the request e-mail.",
                    address=sender,
                    party=party.name,
                ),
            )
        decided = approval.step_ids.filtered(
            lambda s: s.decided_by_id == user and s != approval.current_step_id
        )
        if (
            approval.state == "pending"
            and decided
            and user not in approval.current_step_id.approver_ids
        ):
            # a second reply of an approver whose level is decided (the request may wait
            # for the next level): theirs is done
            return approval._answer_reply(
                msg_dict,
                approval.env._(
                    "You already decided the level “%s” of this request: nothing was changed.",
                    decided[:1].name,
                ),
            )
        if user in approval.current_step_id.approver_ids and not approval._is_request_mail_of(
            msg_dict.get("parent_id"), user
        ):
            # a From is easily forged; the Message-Id of the approver's own request e-mail
            # is known only to their mailbox (the chatter's messages are read by the rep)
            return approval._answer_reply(
                msg_dict,
                approval.env._(
                    "This is not a reply to your own request e-mail: nothing was decided. "
                    "Reply to the request e-mail you received, or decide in Odoo."
                ),
            )
        decision, comment = reply_decision(msg_dict.get("body"))
        if not decision:
            return approval._answer_reply(
                msg_dict,
                approval.env._(
                    "Your reply does not start with a decision: nothing was decided. Reply "
                    "with “approve” (or “同意”) or “reject” (or “驳回”) as its first word, "
                    "followed by your comment."
                ),
            )
        try:
            with approval.env.cr.savepoint():
                approval._decide_from(
                    user, decision, comment, "mail", msg_dict.get("message_id") or False
                )
        except (UserError, AccessError, ValidationError) as error:
            return approval._answer_reply(
                msg_dict,
                approval.env._("Nothing was decided: %s", error.args[0] if error.args else error),
            )
        return True

    def _reply_user(self, sender):
        """The user a reply comes from: an approver of the current step whose e-mail
        normalises to the sender's address; else any other active user of that address
        (whose decision the checks of ``_decide`` refuse, with their reason)."""
        self.ensure_one()
        if not sender:
            return self.env["res.users"]
        approvers = self.sudo().current_step_id.approver_ids
        mine = approvers.filtered(lambda u: u.partner_id.email_normalized == sender)
        if mine:
            return mine[:1]
        return (
            self.env["res.users"]
            .sudo()
            .search([("partner_id.email_normalized", "=", sender)], order="share, id", limit=1)
        )

    def _is_request_mail_of(self, message_id, user):
        """Whether the mail.message ``message_id`` (the parent the gateway found in a
        reply's In-Reply-To or References) is a request e-mail of this request sent to
        ``user``: made by the request itself (as superuser; any user may create a user
        notification over RPC)."""
        self.ensure_one()
        message = self.env["mail.message"].sudo().browse(message_id or []).exists()
        return bool(
            message
            and message.create_uid.id == SUPERUSER_ID
            and message.model == self._name
            and message.res_id == self.id
            and message.message_type == "user_notification"
            and user.partner_id in message.partner_ids
        )

    def _address_shared_with_party(self, user, sender):
        """Another active user of ``sender``'s address who is a party of this request
        (the four-eyes rule refuses them), or an empty recordset: a reply from an address
        two users share cannot tell which of them wrote it."""
        self.ensure_one()
        others = (
            self.env["res.users"]
            .sudo()
            .search([("partner_id.email_normalized", "=", sender), ("id", "!=", user.id)])
        )
        return others.filtered(lambda u: self.with_user(u).sudo()._own_case_refusal())[:1]

    def _answer_reply(self, msg_dict, reason):
        """A short mail to the sender of a reply that decided nothing, saying why; the
        gateway drops any reply to it (its references carry a loop tag)."""
        self.ensure_one()
        approval = self.sudo()
        body = Markup("<p>%s</p><p>%s</p>") % (
            reason,
            approval.env._("Request: %s", approval.name),
        )
        reply_to = msg_dict.get("message_id") or ""
        self.env["mail.mail"].sudo().create(
            {
                "subject": approval.env._("Not decided: %s", approval.name),
                "body_html": body,
                "email_to": msg_dict.get("email_from"),
                "email_from": approval._answer_from(),
                "references": f"{reply_to} {generate_tracking_message_id(LOOP_TAG)}".strip(),
                "model": approval._name,
                "res_id": approval.id,
                "auto_delete": True,
            }
        )
        return False

    def _answer_from(self):
        """The sender of the answers: the company's notification address (its alias
        domain), else the company's e-mail."""
        company = self.sudo().company_id or self.env.company
        if company.default_from_email:
            return formataddr((company.name, company.default_from_email))
        return company.email_formatted
