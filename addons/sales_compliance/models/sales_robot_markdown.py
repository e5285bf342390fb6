from odoo import api, models


class SalesRobot(models.Model):
    """The pieces every robot message is written with (one home for the producers of
    both addons): the record's backend link and the @-mentions."""

    _inherit = "sales.robot"

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
        return " ".join(f"@{mobile}" for mobile in users.sudo().mapped("mobile") if mobile)


def _escape(text):
    """Text safe inside a Markdown link label (no brackets breaking it)."""
    return (text or "").replace("[", "(").replace("]", ")").replace("\n", " ")
