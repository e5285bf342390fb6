from odoo import api, models


class SalesComplaint(models.Model):
    """Complaints pushed to the group robots: a new complaint, and each alert of its team
    leader (critical, escalated past its deadline), each once, @-mentioning the owner and
    the team leader."""

    _inherit = "sales.complaint"

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        complaints._push_to_robots("new")
        return complaints

    def _notify_leader(self, summary, note, marker):
        result = super()._notify_leader(summary, note, marker)
        self._push_to_robots(marker)
        return result

    def _push_to_robots(self, event):
        """``event``: ``new``, or the marker of the leader's alert (``leader_alerted_at``,
        ``escalated_at``)."""
        Robot = self.env["sales.robot"].sudo()
        if not self or not Robot._receives("complaints"):
            return
        pushes = []
        for complaint in self.sudo():
            users = complaint.owner_id | complaint._leader()
            pushes.append(
                {
                    "key": f"complaint-{complaint.id}-{event}",
                    "render": lambda env, c=complaint, e=event, u=users: c._robot_markdown(
                        env, e, u
                    ),
                    "team": complaint.team_id,
                    "company": complaint.company_id,
                    "mention_users": users,
                    "record": complaint,
                }
            )
        Robot._push_many("complaints", pushes)

    def _robot_markdown(self, env, event, users):
        self.ensure_one()
        complaint = self.with_env(env)
        Robot = env["sales.robot"]
        text = Robot._markdown_text
        subject = text(complaint.subject)
        if event == "escalated_at":
            title = env._("Complaint escalated: %s", subject)
        elif event == "leader_alerted_at":
            title = env._("Critical complaint: %s", subject)
        else:
            title = env._("New complaint: %s", subject)
        severity = dict(complaint._fields["severity"]._description_selection(env))
        lines = [
            env._(
                "%(name)s from %(customer)s, severity %(severity)s.",
                name=text(complaint.name),
                customer=text(complaint.partner_id.display_name),
                severity=severity.get(complaint.severity, ""),
            ),
            Robot._markdown_link(complaint),
        ]
        return title, Robot._markdown_body(lines, users)
