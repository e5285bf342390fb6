from odoo import fields, models


class SalesComplianceApprovalStep(models.Model):
    """One step of an approval request: a level of the rule (sales.compliance.rule.level)
    as the request asks it, with its approvers and decision.

    Steps are decided in sequence: ``upcoming`` until the previous ones are approved,
    then ``to_decide``, then approved or rejected (or voided with the request). The
    request itself is ``pending`` while any step is to decide."""

    _name = "sales.compliance.approval.step"
    _description = "Compliance Approval Request Step"
    _order = "approval_id, sequence, id"

    approval_id = fields.Many2one(
        "sales.compliance.approval", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    level_id = fields.Many2one("sales.compliance.rule.level", ondelete="set null")
    approver_ids = fields.Many2many("res.users", string="Approvers")
    state = fields.Selection(
        [
            ("upcoming", "Upcoming"),
            ("to_decide", "To Decide"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("voided", "Voided"),
        ],
        default="upcoming",
        required=True,
    )
    decided_by_id = fields.Many2one("res.users")
    decided_date = fields.Datetime(string="Decision Date")
    comment = fields.Text()
    channel = fields.Selection(
        [
            ("web", "Web Client"),
            ("link", "E-mail Link"),
            ("mail", "E-mail Reply"),
            ("robot", "Group Robot Link"),
        ],
        string="Decided From",
        readonly=True,
    )
    channel_ref = fields.Char(
        string="Decision Origin",
        readonly=True,
        help="The IP address of a decision from the web or a link, or the message id of a "
        "decision by e-mail reply.",
    )
    company_id = fields.Many2one(related="approval_id.company_id", store=True)

    def _decide(self, state, comment=False, channel="web", channel_ref=False):
        self.ensure_one()
        approval = self.approval_id
        mine = approval.activity_ids.filtered(lambda a: a.user_id == self.env.user)
        mine.action_feedback(feedback=comment or state)
        (approval.activity_ids - mine).unlink()
        self.write(
            {
                "state": state,
                "decided_by_id": self.env.uid,
                "decided_date": fields.Datetime.now(),
                "comment": comment or False,
                "channel": channel,
                "channel_ref": channel_ref or False,
            }
        )
