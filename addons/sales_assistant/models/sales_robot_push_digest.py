from odoo import models


class SalesAssistantDigest(models.Model):
    """The morning digest pushed to the group robots: when a team leader's digest goes
    out, their team's robots receive the team's day (My day's sections and counts, read
    as the leader), once per team and day."""

    _inherit = "sales.assistant.digest"

    def _deliver(self, user, data, chats):
        result = super()._deliver(user, data, chats)
        if self:  # a claimed digest (its day is the push's key), not a preview of the model
            self._push_team_digest(user)
        return result

    def _push_team_digest(self, user):
        self.ensure_one()
        Robot = self.env["sales.robot"].sudo()
        if not Robot._receives("digest"):
            return
        Day = self.env["sales.assistant.day"]
        for team in user._sales_teams_led().sudo():
            Robot._push(
                "digest",
                f"digest-{team.id}-{self.digest_date}",
                lambda env, t=team: self._team_digest_markdown(
                    # the team's own day: a leader of two teams tells each only its own
                    env,
                    t,
                    Day._my_day_data(
                        user,
                        lang=env.lang,
                        users=(user | t.member_ids) & user._sales_self_and_team_members(),
                    ),
                ),
                team=team,
                company=team.company_id,
                record=team,
            )

    def _team_digest_markdown(self, env, team, data):
        """``(title, markdown)``: the team's sections with their counts, in ``env``'s
        language."""
        Robot = env["sales.robot"]
        title = env._(
            "%(team)s: the day, %(day)s",
            team=Robot._markdown_text(team.name),
            day=data["today_label"],
        )
        lines = [
            f"- {section['title']}: **{section['count']}**"
            for section in data["sections"]
            if section["count"]
        ] or [env._("Nothing due today.")]
        lines += ["", Robot._markdown_link(team.with_env(env), env._("Open the team"))]
        return title, "\n".join(lines)
