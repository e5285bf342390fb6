from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.deferred_checks import check_or_defer, deferred_checks
from odoo.exceptions import UserError, ValidationError
from odoo.tools.float_utils import float_compare

LEADER_GROUP = "sales_targets.group_targets_team_leader"
MANAGER_GROUP = "sales_targets.group_targets_manager"


class SalesCreditShare(models.Model):
    """One salesperson's share of the credit for an opportunity or a sale order.

    Regular shares of a document add up to 100%. Overlay shares (presales, specialists) are
    outside the 100%: they credit the overlay person without reducing the others, so they are
    paid on top and only team leaders and managers grant them. Once an order has a posted
    invoice its split is frozen: commission has been earned on it, so only a manager changes
    it, and each change is posted in the order's chatter (as Odoo's ``sale`` posts the changed
    quantities of a confirmed order).
    """

    _name = "sales.credit.share"
    _description = "Sales Credit Share"
    _order = "is_overlay, share desc, id"

    lead_id = fields.Many2one("crm.lead", ondelete="cascade", index=True)
    order_id = fields.Many2one("sale.order", ondelete="cascade", index=True)
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True
    )
    user_id = fields.Many2one("res.users", string="Salesperson", required=True)
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", compute="_compute_team_id", store=True, readonly=False
    )
    share = fields.Float("Share (%)", required=True, default=100.0)
    is_overlay = fields.Boolean("Overlay", help="Credit outside the 100%, e.g. presales.")

    _sql_constraints = [
        (
            "one_document",
            "CHECK ((lead_id IS NULL) != (order_id IS NULL))",
            "A credit share belongs to one opportunity or one sale order.",
        ),
    ]

    @api.depends("lead_id.company_id", "order_id.company_id")
    def _compute_company_id(self):
        for line in self:
            line.company_id = line.order_id.company_id or line.lead_id.company_id

    @api.depends("user_id", "company_id")
    def _compute_team_id(self):
        for line in self:
            line.team_id = line.user_id and line.user_id._sales_team(line.company_id)

    @api.constrains("share")
    def _check_share(self):
        for line in self:
            if line.share <= 0 or line.share > 100:
                raise ValidationError(
                    self.env._("A credit share must be between 0 and 100%% (got %s).", line.share)
                )

    @api.constrains("share", "user_id", "is_overlay", "order_id", "lead_id")
    def _check_document_total(self):
        """A share created or written on its own must leave its document's split valid."""
        self._check_documents_of(self)

    @api.model
    def _check_documents_of(self, shares):
        check_or_defer(shares.sudo().order_id, "_check_credit_shares")
        check_or_defer(shares.sudo().lead_id, "_check_credit_shares")

    # ------------------------------------------------------------------
    # Who may change what
    # ------------------------------------------------------------------
    @api.model
    def _may_grant_overlays(self):
        return self.env.su or self.env.user.has_group(LEADER_GROUP)

    def _check_overlay_rights(self):
        """Overlays are paid on top of the 100%: a team leader grants them, never to
        themselves (a manager does)."""
        if not self._may_grant_overlays():
            raise UserError(
                self.env._(
                    "Only team leaders and managers grant overlay credit (presales, "
                    "specialists): ask your team leader to add or change it."
                )
            )
        if (
            not self.env.su
            and self.env.user in self.sudo().filtered("is_overlay").user_id
            and not self.env.user.has_group(MANAGER_GROUP)
        ):
            raise UserError(
                self.env._(
                    "You cannot grant overlay credit to yourself: ask your sales targets manager."
                )
            )

    @api.model
    def _without_overlays_unless_allowed(self, vals_list, field="credit_share_ids"):
        """Copied documents keep the overlay shares only for those who may grant them."""
        if self._may_grant_overlays():
            return vals_list
        for vals in vals_list:
            if field in vals:
                vals[field] = [
                    command for command in vals[field] if not command[2].get("is_overlay")
                ]
        return vals_list

    @api.model
    def _frozen_splits(self, orders):
        """{order: {share: description}} of the orders whose split is frozen by a posted
        invoice; refuses the change unless a manager makes it (then posted on the order)."""
        frozen = orders.sudo().filtered(lambda o: o._has_posted_invoice())
        if frozen and not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise UserError(
                self.env._(
                    "The credit split of %s is frozen: the order has a posted invoice and "
                    "commission is earned on it. Ask a sales targets manager to change it.",
                    frozen[0].display_name,
                )
            )
        return {order: {s: s._describe() for s in order.credit_share_ids} for order in frozen}

    def _describe(self):
        self.ensure_one()
        if self.is_overlay:
            return self.env._(
                "%(user)s %(share)s%% (overlay)", user=self.user_id.name, share=self.share
            )
        return self.env._("%(user)s %(share)s%%", user=self.user_id.name, share=self.share)

    @api.model
    def _post_frozen_changes(self, before):
        """Post on each frozen order what changed in its split, old -> new, by whom."""
        for order, old in before.items():
            order.invalidate_recordset(["credit_share_ids"])
            new = {s: s._describe() for s in order.credit_share_ids}
            changes = [
                self.env._("%(old)s -> %(new)s", old=old.get(s, "-"), new=new.get(s, "-"))
                for s in sorted(old.keys() | new.keys(), key=lambda s: s.id)
                if old.get(s) != new.get(s)
            ]
            if changes:
                order.message_post(
                    body=Markup("<b>%s</b><ul>%s</ul>")
                    % (
                        self.env._("Credit split changed after invoicing"),
                        Markup().join(Markup("<li>%s</li>") % change for change in changes),
                    )
                )

    def _check_team(self):
        """A share counts in its salesperson's team; a team leader credits one of the teams
        they lead instead, a manager any team."""
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        led = self.env.user._sales_teams_led()
        for share in self.sudo():
            team = share.user_id._sales_team(share.company_id) if share.user_id else False
            if share.team_id and share.team_id != team and share.team_id not in led:
                raise UserError(
                    self.env._(
                        "A credit share counts in its salesperson's team (%(team)s): ask the "
                        "leader of %(other)s or a sales targets manager to credit another team.",
                        team=team.name if team else "-",
                        other=share.team_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse(
            {v["order_id"] for v in vals_list if v.get("order_id")}
        )
        before = self._frozen_splits(orders)
        shares = super().create(vals_list)
        # after the record rules: one may not touch a colleague's document at all
        if any(shares.mapped("is_overlay")):
            shares._check_overlay_rights()
        shares._check_team()
        self._post_frozen_changes(before)
        return shares

    def write(self, vals):
        self.check_access("write")
        self._check_same_document(vals)
        before = self._frozen_splits(self.sudo().order_id)
        overlay = vals.get("is_overlay") or any(self.sudo().mapped("is_overlay"))
        if overlay:
            self._check_overlay_rights()
        result = super().write(vals)
        # checked as the shares are now
        if overlay:
            self._check_overlay_rights()  # to whom it goes now
        if {"user_id", "team_id"} & set(vals):
            self._check_team()
        self._post_frozen_changes(before)
        return result

    def _check_same_document(self, vals):
        """The document a share credits never changes after creation: moved to a colleague's
        order, it would credit its holder there without that colleague's consent. Its company
        is its document's (it chooses the salesperson's team)."""
        for name in {"order_id", "lead_id", "company_id"} & set(vals):
            field = self._fields[name]
            new = field.convert_to_cache(vals[name], self)
            if any(field.convert_to_cache(share[name], share) != new for share in self.sudo()):
                raise self._document_changed_error()

    def _document_changed_error(self):
        return UserError(
            self.env._(
                "A credit share stays on its opportunity or order: remove it and add a new "
                "share on the other document."
            )
        )

    def unlink(self):
        """The remaining shares of each document must still add up to 100%, or be none."""
        self.check_access("unlink")
        orders, leads = self.sudo().order_id, self.sudo().lead_id
        before = self._frozen_splits(orders)
        if any(self.sudo().mapped("is_overlay")):
            self._check_overlay_rights()
        result = super().unlink()
        check_or_defer(orders, "_check_credit_shares")
        check_or_defer(leads, "_check_credit_shares")
        self._post_frozen_changes(before)
        return result

    @api.model
    def _check_document_shares(self, documents):
        """Regular shares of each document must add up to 100%, one line per person."""
        for document in documents:
            shares = document.credit_share_ids
            regular = shares.filtered(lambda s: not s.is_overlay)
            if shares and not regular:
                raise ValidationError(
                    self.env._(
                        "%s has only overlay shares: add the regular owners.", document.display_name
                    )
                )
            total = sum(regular.mapped("share"))
            if regular and float_compare(total, 100.0, precision_digits=2):
                raise ValidationError(
                    self.env._(
                        "The credit shares of %(doc)s add up to %(total)s%%, not 100%%.",
                        doc=document.display_name,
                        total=round(total, 2),
                    )
                )
            both = regular.user_id & (shares - regular).user_id
            if both:
                raise ValidationError(
                    self.env._(
                        "%(user)s is both a regular and an overlay owner of %(doc)s: a person "
                        "is credited once per document.",
                        user=both[0].name,
                        doc=document.display_name,
                    )
                )
            if len(shares.user_id) != len(shares):
                raise ValidationError(
                    self.env._(
                        "%s lists a salesperson twice in its credit shares.", document.display_name
                    )
                )

    # ------------------------------------------------------------------
    # Hand-over
    # ------------------------------------------------------------------
    @api.model
    def _hand_over(self, documents, from_user, successor):
        """Move the credit of ``from_user`` on ``documents`` (orders or opportunities
        still open, whose credit is not yet earned) to ``successor``.

        Where the successor already has a share of a document, the two are merged (the
        regular one capped at 100%; an overlay and a regular share of one person cannot
        sit together, so the former owner's is dropped). Each document's split is checked
        once, after the merge. Written as superuser: the caller has checked its rights.
        """
        if not documents or not successor:
            return
        field = self._document_field(documents)
        Share = self.sudo()
        shares = Share.search([(field, "in", documents.ids), ("user_id", "=", from_user.id)])
        if not shares:
            return
        theirs = Share.search([(field, "in", shares[field].ids), ("user_id", "=", successor.id)])
        merge = {share[field].id: share for share in theirs}
        simple = shares.filtered(lambda s: s[field].id not in merge)
        # the document's split is checked once, when both shares are merged
        with deferred_checks(self.env):
            simple.write({"user_id": successor.id})
            for share in shares - simple:
                other = merge[share[field].id]
                if other.is_overlay == share.is_overlay:
                    other.share = min(other.share + share.share, 100.0)
                share.unlink()

    @api.model
    def _keep_with_salesperson(self, orders):
        """Give the orders without a split one share of 100% for their salesperson, so
        that a sale already made stays credited to whoever made it when the order
        changes hands. Written as superuser: the caller has checked its rights."""
        unsplit = orders.filtered(lambda o: not o.credit_share_ids)
        if unsplit:
            self.sudo().create(
                [
                    {"order_id": order.id, "user_id": order.user_id.id, "share": 100.0}
                    for order in unsplit
                ]
            )

    @api.model
    def _document_field(self, documents):
        """The field of a share that points to ``documents`` (orders or opportunities)."""
        fields_by_model = {"sale.order": "order_id", "crm.lead": "lead_id"}
        if documents._name not in fields_by_model:
            raise ValueError(f"{documents._name} has no credit shares")
        return fields_by_model[documents._name]

    def _copy_values(self):
        return [
            (
                0,
                0,
                {
                    "user_id": s.user_id.id,
                    "team_id": s.team_id.id,
                    "share": s.share,
                    "is_overlay": s.is_overlay,
                },
            )
            for s in self
        ]
