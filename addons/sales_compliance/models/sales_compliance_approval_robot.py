from odoo import models
from odoo.tools.misc import formatLang


class SalesComplianceApproval(models.Model):
    """Approval requests pushed to the group robots: when a step becomes current, the
    team's robots (else the company's) receive what is asked, an @-mention of each approver
    and each approver's own signed link (channel ``robot``)."""

    _inherit = "sales.compliance.approval"

    def _activate_next_step(self, comment=False):
        result = super()._activate_next_step(comment)
        self._push_to_robots()
        return result

    def _robot_key(self):
        self.ensure_one()
        return f"approval-{self.id}-step-{self.current_step_id.id}"

    def _push_to_robots(self):
        """Queue the request of the current step for the robots that receive approvals;
        once per step (the key), and no link is issued when no robot would receive it."""
        Robot = self.env["sales.robot"]
        Message = self.env["sales.robot.message"].sudo()
        for approval in self.sudo().filtered(lambda a: a.state == "pending" and a.current_step_id):
            robots = Robot._robots_for(
                "approvals", team=approval.team_id, company=approval.company_id
            )
            key = approval._robot_key()
            if not robots or Message.search_count(
                [("robot_id", "in", robots.ids), ("key", "=", key)]
            ) >= len(robots):
                continue
            Link = self.env["sales.compliance.approval.link"]
            approvers = Link._linkable_approvers(approval)
            links = [(user, Link._issue(approval, user, "robot")) for user in approvers]
            Robot._push(
                "approvals",
                key,
                lambda env, a=approval, ls=links: a._robot_markdown(env, ls),
                team=approval.team_id,
                company=approval.company_id,
                mention_users=approvers,
                record=approval,
            )

    def _robot_markdown(self, env, links):
        """``(title, markdown)`` of the request in ``env``'s language, from the request
        summary (the one home of what is asked). A group chat is not limited to those who
        may see a customer's credit: credit figures stay on the approval page."""
        self.ensure_one()
        approval = self.with_env(env)
        summary = approval._request_summary()
        Robot = env["sales.robot"]
        text = Robot._markdown_text
        title = env._("Approval requested: %s", text(summary["rule"]))
        lines = [
            env._(
                "Record: %s",
                Robot._markdown_link(approval._record() or approval, summary["record"]),
            ),
            env._("Requested by: %s", text(summary["requester"])),
        ]
        if summary["value"] is not False and summary["limit"] is not False:
            lines.append(
                env._(
                    "Value: %(value)s (limit %(limit)s)",
                    value=formatLang(env, summary["value"]),
                    limit=formatLang(env, summary["limit"]),
                )
            )
        if summary["why"]:
            lines.append(env._("Why: %s", text(summary["why"])))
        lines.append(env._("Step: %s", text(summary["step"].name)))
        for user, url in links:
            lines.append(
                env._(
                    "%(mention)s [Approve or reject](%(url)s)",
                    mention=Robot._markdown_mentions(user) or text(user.name),
                    url=url,
                )
            )
        return title, "\n\n".join(lines)
