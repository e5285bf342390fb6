from odoo import Command
from odoo.exceptions import UserError

from .common import ComplianceCase

REPLY = """From: {sender}
To: {to}
Subject: Re: {subject}
Message-Id: {message_id}
In-Reply-To: {parent}
References: {parent}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}

On Monday, Odoo wrote:
> {quoted}
> Approve  Reject
"""


class ApprovalMailCase(ComplianceCase):
    """A company with an alias domain (the catchall replies go to), approvers with
    addresses, and a two-level discount rule: the team leader, then the sales manager
    above 10%."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {
                "name": "sales.example.com",
                "catchall_alias": "catchall",
                "bounce_alias": "bounce",
                "default_from": "notifications",
            }
        )
        cls.company.write({"alias_domain_id": cls.alias_domain.id, "email": "info@example.com"})
        for user, email in (
            (cls.leader, "leader.li@example.com"),
            (cls.manager, "max@example.com"),
            (cls.rep, "rep.wang@example.com"),
            (cls.officer, "olga@example.com"),
        ):
            user.email = email
        cls._salesman_ceiling()
        cls.rule = cls._discount_approval_rule(
            message="Discount {value}% above {limit}%",
            level_ids=[
                Command.create({"name": "Team leader", "approver_type": "team_leader"}),
                Command.create(
                    {
                        "name": "Sales manager",
                        "approver_type": "user",
                        "user_id": cls.manager.id,
                        "min_value": 10,
                        "sequence": 20,
                    }
                ),
            ],
        )
        cls.Approval = cls.env["sales.compliance.approval"]
        cls.Message = cls.env["mail.message"]

    def _requested(self, discount=8):
        """An order of the rep over the ceiling, and the approval the rep asks for."""
        order = self._order(discount=discount)
        # refused: the violation it logs stays (no savepoint around it, as in test_approval)
        refusal = None
        try:
            order.action_confirm()
        except UserError as exc:
            refusal = exc
        self.assertIn(self.rule.name, str(refusal))
        self.assertEqual(order.state, "draft")
        order.action_compliance_request_approval()
        approval = self.Approval.sudo().search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(len(approval), 1)
        return order, approval

    def _request_mail(self, approval, user):
        """The request e-mail (its mail.message) ``user`` received for ``approval``."""
        return self.Message.sudo().search(
            [
                ("model", "=", approval._name),
                ("res_id", "=", approval.id),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", user.partner_id.ids),
            ],
            order="id desc",
            limit=1,
        )

    def _reply(self, request_mail, body, sender, message_id="<reply-1@mail.example.com>"):
        """Feed a reply to ``request_mail`` to the mail gateway, as fetchmail or an MTA
        does; returns the reply's Message-Id."""
        raw = REPLY.format(
            sender=sender,
            to=self.alias_domain.catchall_email,
            subject=request_mail.subject or "request",
            message_id=message_id,
            parent=request_mail.message_id,
            body=body,
            quoted="approve me please",
        )
        self.env["mail.thread"].message_process(False, raw.encode())
        return message_id

    def _answers(self, email):
        """The mails sent back to ``email`` saying that nothing was decided."""
        return self.env["mail.mail"].sudo().search([("email_to", "ilike", email)])

    def _link(self, approval, user):
        """The signed link of ``user`` on the current step of ``approval``."""
        return self.env["sales.compliance.approval.link"].search(
            [
                ("approval_id", "=", approval.id),
                ("user_id", "=", user.id),
                ("step_id", "=", approval.current_step_id.id),
            ]
        )
