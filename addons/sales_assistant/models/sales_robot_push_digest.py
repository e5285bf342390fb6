from odoo import models


class SalesAssistantDigest(models.Model):
    """The morning digest pushed to the group robots: when a team leader's digest goes
    out, their team's robots receive the team's day (My day's sections and counts, read
    as the leader), once per team and day."""

    _inherit = "sales.assistant.digest"

    def _deliver_many(self, people, chats):
        result = super()._deliver_many(people, chats)
        if self:  # claimed digests (their day is the push's key), not a preview of the model
            self._push_team_digests()
        return result

    def _push_team_digests(self):
        """The day of each team led by the people of these digests, to the team's robots,
        queued together (``_push_many``)."""
        Robot = self.env["sales.robot"].sudo()
        if not Robot._receives("digest"):
            return
        Day = self.env["sales.assistant.day"]
        teams = self.user_id._sales_teams_led().sudo().grouped("user_id")
        pushes = []
        for digest in self:
            user = digest.user_id
            for team in teams.get(user, ()):
                pushes.append(
                    {
                        "key": f"digest-{team.id}-{digest.digest_date}",
                        "render": lambda env, t=team, user=user: self._team_digest_markdown(
                            # the team's own day: a leader of two teams tells each only its own
                            env,
                            t,
                            Day._my_day_data(
                                user,
                                lang=env.lang,
                                users=(user | t.member_ids) & user._sales_self_and_team_members(),
                            ),
                        ),
                        "team": team,
                        "company": team.company_id,
                        "record": team,
                    }
                )
        Robot._push_many("digest", pushes)

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
