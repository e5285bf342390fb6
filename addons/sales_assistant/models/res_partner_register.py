from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    register_entry_count = fields.Integer(
        string="Calls and Visitors", compute="_compute_register_entry_count"
    )

    @api.depends_context("uid")
    def _compute_register_entry_count(self):
        """The calls and visitors the user can read, of the customer and its contacts."""
        Entry = self.env["sales.register.entry"]
        if not Entry.has_access("read"):
            self.register_entry_count = 0
            return
        partners = self.filtered("id")
        counts = dict(
            Entry._read_group(
                [("partner_id.commercial_partner_id", "in", partners.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.register_entry_count = sum(
                count
                for entry_partner, count in counts.items()
                if partner.id
                and entry_partner.commercial_partner_id == partner.commercial_partner_id
            )

    def action_register_log(self):
        """The compact form of a new call or visit of this customer, in a dialog."""
        self.ensure_one()
        self.check_access("read")
        return self.env["sales.register.entry"]._register_log_action(
            {"default_partner_id": self.id}
        )

    def action_view_register_entries(self):
        """The calls and visitors of this customer and its contacts."""
        self.ensure_one()
        self.check_access("read")
        self.env["sales.register.entry"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_assistant.action_register_entry_all"
        )
        action["domain"] = [
            ("partner_id.commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"default_partner_id": self.id}
        return action
