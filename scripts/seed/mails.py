"""Approvals decided by e-mail reply (Seeder.make_mails).

Demo and tiny: the company gets an alias domain (the catchall the request e-mails' replies
go to) when it has none, and one pending approval request is decided by its approver's reply
"同意"/"approve" to the request e-mail, fed to Odoo's mail gateway (``message_process``) as a
fetchmail server or an MTA does: its step shows *Decided From: E-mail Reply* with the reply's
Message-Id. Bench: none.
"""

ALIAS_DOMAIN = "sales-demo.example.com"
REPLY = """From: {sender}
To: {to}
Subject: Re: {subject}
Message-Id: <seed-approval-reply-{approval}@{domain}>
In-Reply-To: {parent}
References: {parent}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""


class MailsSteps:
    def make_mails(self):
        env = self.env
        if self.bench or "sales.compliance.approval" not in env:
            return
        company = self.company
        if not company.alias_domain_id:
            domain = env["mail.alias.domain"].search([("name", "=", ALIAS_DOMAIN)], limit=1)
            company.alias_domain_id = domain or env["mail.alias.domain"].create(
                {"name": ALIAS_DOMAIN, "catchall_alias": "catchall", "bounce_alias": "bounce"}
            )
        approval, approver, mail = self._approval_to_reply()
        if not approval:
            self.log("no pending approval with a request e-mail to decide by reply")
            return
        body = "同意,老客户,付款一向及时。" if self.chinese else "Approve. Long-standing customer."
        raw = REPLY.format(
            sender=approver.email_formatted,
            to=company.alias_domain_id.catchall_email,
            subject=mail.subject or approval.name,
            approval=approval.id,
            domain=company.alias_domain_id.name,
            parent=mail.message_id,
            body=body,
        )
        env["mail.thread"].message_process(False, raw.encode())
        order = approval._record()
        if approval.state == "approved" and order.state in ("draft", "sent"):
            # as its salesperson does once the discount is approved
            order.with_user(order.user_id).action_confirm()
            self.counts["confirmed_orders"] += 1
        self.counts["approvals_by_mail"] += len(
            approval.step_ids.filtered(lambda step: step.channel == "mail")
        )
        self.commit()

    def _approval_to_reply(self):
        """A pending request whose current approver has an address and may decide it, and
        the request e-mail that approver received."""
        env = self.env
        approvals = (
            env["sales.compliance.approval"]
            .sudo()
            .search(
                [
                    ("state", "=", "pending"),
                    ("company_id", "=", self.company.id),
                    # an order's: the contracts' requests wait for their general manager
                    ("res_model", "=", "sale.order"),
                ]
            )
        )
        for approval in approvals:
            for approver in approval.current_step_id.approver_ids.filtered("email"):
                if approval.with_user(approver)._decision_refusal():
                    continue
                mail = (
                    env["mail.message"]
                    .sudo()
                    .search(
                        [
                            ("model", "=", approval._name),
                            ("res_id", "=", approval.id),
                            ("message_type", "=", "user_notification"),
                            ("partner_ids", "in", approver.partner_id.ids),
                        ],
                        order="id desc",
                        limit=1,
                    )
                )
                if mail:
                    return approval, approver, mail
        return None, None, None
