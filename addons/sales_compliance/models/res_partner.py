"""The partner under the compliance rules: its hooks of the compliance mixin, its
create and write (the ownership path and the duplicate check run there), and what its
sections share: who is a customer and the settings. The sections are their own files:
``res_partner_credit.py`` (credit visibility, exposure, review), ``res_partner_ownership.py``
(the owner, the one path that changes it, the duplicate check) and ``res_partner_pool.py``
(the public pool, claim and release, the release job)."""

from odoo import api, fields, models
from odoo.exceptions import AccessError

# The fields that decide which customer a partner belongs to and who owns it (the
# customer domain, the commercial entity, Odoo's computed salesperson of a contact):
# a write of any of them goes through the ownership path
OWNERSHIP_DEPENDENCIES = (
    "user_id",
    "parent_id",
    "commercial_partner_id",
    "is_company",
    "company_type",
    "type",
    "customer_rank",
    "supplier_rank",
    "partner_share",
)
# Set by the merge wizard only (an object: no client can send it): the kept partner
# keeps its own ownership dates, those of the merged ones are not copied onto it
MERGE_KEEPS_OWNERSHIP_DATES = object()
OWNERSHIP_DATES = ("compliance_protection_end", "compliance_release_notice_sent")
# What the duplicate check compares (撞单)
DUPLICATE_KEY_FIELDS = ("name", "vat", "phone", "mobile", "country_id")


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "sales.compliance.mixin"]

    _compliance_hash_trigger_fields = ("user_id", "credit_limit")

    def _compliance_partner(self):
        self.ensure_one()
        return self.commercial_partner_id

    def _compliance_hash_values(self):
        self.ensure_one()
        return {"user": self.user_id.id, "credit_limit": self.credit_limit}

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # as created, defaults and imports (``load``) included
        if not self.env.su and partners.filtered("compliance_release_notice_sent"):
            raise AccessError(self.env._("Only the release job records its notices."))
        partners._compliance_guard_assign(partners.filtered("compliance_protection_end"))
        if self._compliance_creates_under_pool_rules():
            # a salesperson's new customers: no second owner of the same company
            # (撞单), and within the cap, as for a claim (lead conversion included)
            partners._compliance_guard_new_customers(
                partners.sudo().filtered_domain(self._compliance_customer_domain())
            )
        partners._compliance_run_rules()
        return partners

    def write(self, vals):
        if self.env.context.get("compliance_merge") is MERGE_KEEPS_OWNERSHIP_DATES:
            vals = {key: value for key, value in vals.items() if key not in OWNERSHIP_DATES}
        if "compliance_release_notice_sent" in vals and not self.env.su:
            raise AccessError(self.env._("Only the release job records its notices."))
        if "compliance_protection_end" in vals:
            new_end = fields.Date.to_date(vals["compliance_protection_end"]) or False
            self._compliance_guard_assign(
                self.filtered(lambda p: p.compliance_protection_end != new_end)
            )
        watched = not set(vals).isdisjoint(OWNERSHIP_DEPENDENCIES)
        before = self._compliance_ownership_state() if watched else {}
        res = super().write(vals)
        became = self._compliance_settle_ownership(before) if watched else self.browse()
        rekeyed = not set(vals).isdisjoint(DUPLICATE_KEY_FIELDS)
        if (became or rekeyed) and self._compliance_creates_under_pool_rules():
            # a partner becoming a customer, or a customer taking another one's name,
            # tax ID or phone: the duplicate check and the cap, as on creation
            customers = became
            if rekeyed:
                customers |= self.sudo().filtered_domain(self._compliance_customer_domain())
            self._compliance_guard_new_customers(customers, owned=became)
        if self._compliance_hash_changed(vals):
            self._compliance_void_stale_approvals()
        self._compliance_run_rules()
        return res

    def _compliance_prefetch_contacts(self):
        """Before a write of many partners: Odoo's ``write`` syncs each partner's contacts
        by a write of their own, which reads those contacts' users and contacts one
        partner at a time (``filtered`` drops the batch's prefetch). Read them for the
        whole batch at once."""
        self.sudo().child_ids.fetch(["user_ids", "child_ids"])

    @api.model
    def _compliance_customer_domain(self):
        """Who is a customer for ownership and the public pool (公海): a commercial
        entity (a company, or a partner without parent: Odoo's ``commercial_partner_id``,
        whose owner every rule reads) that is not a pure vendor (customer rank, or no
        rank at all: a prospect), not the partner of an internal user and not one of
        our own companies. The one definition: pool, cap, release, duplicate check and
        the ownership guard use it."""
        own = (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "!=", False)])
        )
        return [
            "|",
            ("parent_id", "=", False),
            ("is_company", "=", True),
            ("partner_share", "=", True),
            ("id", "not in", own.partner_id.ids),
            "|",
            ("customer_rank", ">", 0),
            ("supplier_rank", "=", 0),
        ]

    @api.model
    def _compliance_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(f"sales_compliance.{key}")
        try:
            return int(value) if value not in (None, False, "") else default
        except ValueError:
            return default
