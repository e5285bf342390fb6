from odoo import api, models

from ..tools.robots import mention_mobile as _mobile


class SalesRobot(models.Model):
    """The pieces every robot message is written with (one home for the producers of
    both addons): the record's backend link and the @-mentions."""

    _inherit = "sales.robot"

    @api.model
    def _receives(self, event):
        """Whether any sending robot receives ``event`` (one query): the producers of a
        batch ask it first, so that a database without robots pays nothing per record."""
        flag = f"push_{event}"
        return bool(
            self.sudo().with_context(active_test=True).search_count([(flag, "=", True)], limit=1)
        )

    @api.model
    def _markdown_link(self, record, label=None):
        """A Markdown link to ``record`` in the web client (``/odoo/<model>/<id>``)."""
        record = record.sudo()
        url = f"{record.get_base_url()}/odoo/{record._name}/{record.id}"
        return f"[{_escape(label or record.display_name)}]({url})"

    @api.model
    def _markdown_mentions(self, users):
        """``@<mobile>`` of each user with a mobile: DingTalk highlights a mention only
        when the text holds it; WeCom mentions through ``mentioned_mobile_list``."""
        return " ".join(
            f"@{mobile}" for mobile in map(_mobile, users.sudo().mapped("mobile")) if mobile
        )

    @api.model
    def _markdown_body(self, lines, users):
        """The body of a robot message: its paragraphs, then the @-mentions of ``users``."""
        mentions = self._markdown_mentions(users)
        return "\n\n".join([*lines, mentions] if mentions else lines)

    @api.model
    def _markdown_text(self, text):
        """``text`` written by users (a name, a subject, a reason) safe inside a robot's
        Markdown: no link nor image of its own (a customer or a portal user could post a
        phishing link through the company's robot), no tag (WeCom's ``<@userid>``, ``<font>``),
        no line of its own (a heading, a list)."""
        return _escape(text)


def _escape(text):
    """Text safe inside a Markdown link label or line (no brackets, tags or line ends
    breaking it)."""
    for char, safe in (
        ("[", "("),
        ("]", ")"),
        ("<", "\u2039"),
        (">", "\u203a"),
        ("\r", " "),
        ("\n", " "),
    ):
        text = (text or "").replace(char, safe)
    return text
