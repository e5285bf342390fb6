from odoo import models


class SalesComplianceApproval(models.Model):
    _inherit = "sales.compliance.approval"

    def _request_summary(self):
        """What an approver is asked, as the request e-mail, the approval page and the robot
        messages show it (one home): who asks, about which record, the value against the
        limit, why, and the steps so far. Read as the current user: the credit figures
        appear only to those who may see the customer's credit (an approver may)."""
        self.ensure_one()
        approval = self.sudo()
        # the violation may belong to another team's record: read as the request, the
        # credit figures only for those who may see the request's values (its approvers)
        violation = approval.violation_ids.sorted("id", reverse=True)[:1]
        if approval.rule_id._credit_figures():
            figures = (self in self._credit_visible() and violation.credit_figures) or False
            value = limit = False
        elif approval.rule_id._approval_value_kind() == "measure":
            # a built-in check's measure (a discount, an exposure...) against its limit
            figures = False
            value = violation.value if violation else approval.value
            limit = violation.limit if violation else False
        else:
            # a domain's or an expression's count of lines means nothing: the amount the
            # levels pick on (the order's untaxed total, the lead's expected revenue)
            figures = False
            value = approval.value or False
            limit = False
        return {
            "approval": approval,
            "rule": approval.rule_id.name,
            "record": approval.record_name,
            "requester": approval.requested_by_id.name,
            "salesperson": approval.salesperson_id.name,
            "team": approval.team_id.name,
            "request_date": approval.request_date,
            "why": approval.message,
            "value": value,
            "limit": limit,
            "credit_figures": figures,
            "step": approval.current_step_id,
            "steps": [
                {
                    "name": step.name,
                    "state": dict(step._fields["state"]._description_selection(self.env))[
                        step.state
                    ],
                    "decided_by": step.decided_by_id.name,
                    "decided_date": step.decided_date,
                    "comment": step.comment,
                    "channel": step.channel
                    and dict(step._fields["channel"]._description_selection(self.env))[
                        step.channel
                    ],
                }
                for step in approval.step_ids
            ],
        }
