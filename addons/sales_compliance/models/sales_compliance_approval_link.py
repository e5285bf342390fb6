from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.misc import hash_sign

LINK_SCOPE = "sales_compliance.approval_link"
DEFAULT_LINK_HOURS = 72


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
    def _issue(self, approval, user, channel="link"):
        """A new link for ``user`` on the current step of ``approval``; returns its URL
        (absolute, on the company's web base URL)."""
        approval = approval.sudo()
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
