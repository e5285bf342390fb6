from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, escape_psql, format_date, mute_logger

from .sales_compliance_mixin import COMPLIANCE_SKIP
from .sales_compliance_ownership_log import OWNERSHIP_REASONS

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

    compliance_protection_end = fields.Date(
        string="Protected Until",
        tracking=True,
        copy=False,
        help="Until this date the owner keeps the customer even without follow-up.",
    )
    compliance_ownership_log_ids = fields.One2many(
        "sales.compliance.ownership.log", "partner_id", string="Ownership History"
    )
    compliance_can_assign = fields.Boolean(
        string="Can Change Owner", compute="_compute_compliance_can_assign"
    )
    compliance_in_pool = fields.Boolean(
        string="In Public Pool", compute="_compute_compliance_in_pool", search="_search_in_pool"
    )
    compliance_review_ids = fields.One2many(
        "sales.compliance.credit.review", "partner_id", string="Credit Reviews"
    )
    compliance_credit_rating_id = fields.Many2one(
        "sales.compliance.credit.rating",
        string="Credit Rating",
        compute="_compute_compliance_credit_rating",
    )
    compliance_credit_review_valid = fields.Boolean(
        string="Valid Credit Review", compute="_compute_compliance_credit_rating"
    )
    compliance_credit_exposure = fields.Monetary(
        string="Credit Exposure",
        compute="_compute_compliance_credit_exposure",
        currency_field="compliance_currency_id",
        help="Open receivables + confirmed orders not yet invoiced, in the company currency.",
    )
    compliance_currency_id = fields.Many2one(
        "res.currency", compute="_compute_compliance_credit_exposure"
    )
    compliance_credit_review_until = fields.Date(
        string="Credit Review Valid Until", compute="_compute_compliance_credit_rating"
    )
    compliance_release_notice_sent = fields.Datetime(
        string="Release Notice Sent",
        readonly=True,
        copy=False,
        help="When the owner was last told that the customer goes back to the pool.",
    )
    compliance_credit_visible = fields.Boolean(
        string="Can See Credit",
        compute="_compute_compliance_credit_visible",
        search="_search_compliance_credit_visible",
        help="Whether the current user may see the receivables and credit data of the "
        "customer: its salesperson and their team leader, compliance officers and "
        "accounting users.",
    )

    @api.depends_context("uid")
    def _compute_compliance_can_assign(self):
        can_assign = self._compliance_can_assign()
        for partner in self:
            partner.compliance_can_assign = can_assign

    @api.model
    def _compliance_can_assign(self):
        """Whether the current user may set owners and protection periods directly."""
        return self.env.su or self.env.user.has_group("sales_compliance.group_compliance_officer")

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
    def _compliance_held_domain(self, users):
        """The customers ``users`` hold: customers (``_compliance_customer_domain``)
        whose owner is one of them."""
        return expression.AND([self._compliance_customer_domain(), [("user_id", "in", users.ids)]])

    @api.model
    def _compliance_customers_held(self, users, exclude=None):
        """{user id: number of customers held} for ``users`` (absent: none), in one
        grouped query, as superuser: the cap, the hand-over preview and the hand-over's
        balancing by load count the same customers. ``exclude``: partners left out of
        the count (those being taken right now)."""
        domain = self._compliance_held_domain(users)
        if exclude:
            domain = expression.AND([domain, [("id", "not in", exclude.ids)]])
        return {
            user.id: count
            for user, count in self.sudo()._read_group(domain, ["user_id"], ["__count"])
        }

    @api.model
    def _compliance_pool_domain(self):
        return expression.AND([self._compliance_customer_domain(), [("user_id", "=", False)]])

    @api.depends(
        "user_id", "parent_id", "is_company", "partner_share", "customer_rank", "supplier_rank"
    )
    def _compute_compliance_in_pool(self):
        pool = self.sudo().filtered_domain(self._compliance_pool_domain())
        for partner in self:
            partner.compliance_in_pool = partner in pool

    def _search_in_pool(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the public pool."))
        pool = self._compliance_pool_domain()
        if (operator == "=") == value:
            return pool
        return ["!", *expression.normalize_domain(pool)]

    @api.model
    def _compliance_sees_all_credit(self):
        """Compliance officers and accounting users see every customer's credit, as
        Odoo shows its own ``credit`` and ``credit_limit`` to accounting users only."""
        user = self.env.user
        return (
            user._is_superuser()
            or user.has_group("sales_compliance.group_compliance_officer")
            or user.has_group("account.group_account_invoice")
            or user.has_group("account.group_account_readonly")
        )

    def _search_compliance_credit_visible(self, operator, value):
        """The one definition of who sees a customer's credit; also the record rule of
        credit reviews. Depends on the user only, never on ``sudo()``: record rules are
        applied in sudo mode."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the credit visibility."))
        if self._compliance_sees_all_credit():
            domain = [(1, "=", 1)]
        else:
            domain = [
                (
                    "commercial_partner_id.user_id",
                    "in",
                    self.env.user._sales_self_and_team_members().ids,
                )
            ]
        return domain if (operator == "=") == value else ["!", *expression.normalize_domain(domain)]

    @api.depends_context("uid")
    @api.depends("commercial_partner_id.user_id")
    def _compute_compliance_credit_visible(self):
        visible = self.sudo().filtered_domain(self._search_compliance_credit_visible("=", True))
        for partner in self:
            partner.compliance_credit_visible = partner in visible

    def _compliance_credit_shown(self):
        """The partners whose credit the environment may read: all as superuser (the
        engine), the visible ones otherwise."""
        return self if self.env.su else self.filtered("compliance_credit_visible")

    @api.depends_context("uid", "company")
    def _compute_compliance_credit_exposure(self):
        company = self.env.company
        shown = self._compliance_credit_shown()
        exposures = shown.commercial_partner_id._compliance_exposure(company)
        for partner in self:
            partner.compliance_currency_id = company.currency_id
            partner.compliance_credit_exposure = (
                exposures.get(partner.commercial_partner_id.id, 0.0) if partner in shown else 0.0
            )

    def _compliance_exposure(self, company):
        """{commercial partner id: open receivables + confirmed orders not yet invoiced}
        in ``company`` and its currency, in a constant number of queries."""
        company = company[:1] or self.env.company
        # receivables (``credit``) are computed in the current company: read them in
        # ``company``, not in the company the user happens to work in
        partners = self.commercial_partner_id.sudo().with_company(company)
        if not partners:
            return {}
        # non-stored and cached: make sure invoices posted meanwhile are counted
        partners.invalidate_recordset(["credit"])
        result = {partner.id: partner.credit for partner in partners}
        groups = (
            self.env["sale.order.line"]
            .sudo()
            ._read_group(
                [
                    ("state", "=", "sale"),
                    ("order_partner_id.commercial_partner_id", "in", partners.ids),
                    ("untaxed_amount_to_invoice", ">", 0),
                    ("company_id", "=", company.id),
                ],
                ["order_partner_id", "currency_id"],
                ["untaxed_amount_to_invoice:sum", "price_subtotal:sum", "price_total:sum"],
            )
        )
        today = company._sales_today()
        for partner, currency, untaxed, subtotal, total in groups:
            # amount still to invoice, taxes included in the proportion of the lines
            taxed = untaxed * (total / subtotal) if subtotal else untaxed
            key = partner.commercial_partner_id.id
            result[key] = result.get(key, 0.0) + currency._convert(
                taxed, company.currency_id, company, today
            )
        return result

    @api.depends_context("uid", "company")
    def _compute_compliance_credit_rating(self):
        shown = self._compliance_credit_shown()
        reviews = self.env["sales.compliance.credit.review"]._get_valid_reviews(
            shown, self.env.company
        )
        for partner in self:
            review = reviews.get((partner.commercial_partner_id.id, self.env.company.id))
            partner.compliance_credit_rating_id = review.rating_id if review else False
            partner.compliance_credit_review_valid = bool(review)
            partner.compliance_credit_review_until = review.valid_until if review else False

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

    @api.model
    def _compliance_creates_under_pool_rules(self):
        """Whether the customers the current user creates are held to the duplicate
        check and the cap: salespeople (compliance users) are; compliance officers and
        sales managers assign customers freely (as Odoo lets sales managers reassign
        any document), and users who do not sell (HR creating users...) are not."""
        user = self.env.user
        return (
            not self._compliance_can_assign()
            and user.has_group("sales_compliance.group_compliance_user")
            and not user.has_group("sales_team.group_sale_manager")
        )

    def _compliance_guard_new_customers(self, customers, owned=None):
        """Duplicate check of ``customers`` (new, or with a new name, tax ID or phone)
        and claim cap of ``owned`` (default: ``customers``) for their owners."""
        customers = self.browse(customers.ids)
        customers._compliance_guard_duplicates()
        owned = self.browse((customers if owned is None else owned).ids).filtered("user_id")
        if owned:
            self._compliance_guard_cap(owned.user_id, owned)

    @api.model
    def _compliance_phone_key(self, number, country):
        """One form of a phone number, E.164 by Odoo's ``phone_validation`` in the
        country of the customer, else of the company: ``+86 571 8888 1234``,
        ``0571-88881234`` and ``057188881234`` are one number. A number it cannot read
        is compared by its digits (so ``86 571 8888 1234`` still matches)."""
        number = (
            self.browse()._phone_format(
                number=number, country=country or self.env.company.country_id
            )
            or number
        )
        digits = "".join(filter(str.isdigit, number))
        return digits if len(digits) >= 6 else None

    @api.model
    def _compliance_duplicate_keys(self, name, vat, numbers, country):
        """What makes two customers the same company: the name (case and spaces
        aside), the tax ID (统一社会信用代码) and the phone numbers."""
        return (
            (name or "").strip().lower(),
            (vat or "").replace(" ", "").upper(),
            {
                key
                for number in numbers
                if number and (key := self._compliance_phone_key(number, country))
            },
        )

    def _compliance_partner_keys(self):
        return {
            partner: self._compliance_duplicate_keys(
                partner.name, partner.vat, (partner.phone, partner.mobile), partner.country_id
            )
            for partner in self
        }

    @api.model
    def _compliance_find_duplicates(self, keys, exclude_ids):
        """{record: the customers with the same name, phone or tax ID} for ``keys``
        ({record: duplicate keys}: partners or leads), in a constant number of queries.
        Phone numbers are narrowed in SQL by their last digits, then compared in the
        one form of ``_compliance_phone_key``."""
        names = {name for name, _vat, _numbers in keys.values() if name}
        vats = {vat for _name, vat, _numbers in keys.values() if vat}
        tails = {
            "".join(filter(str.isdigit, number))[-7:]
            for _name, _vat, numbers in keys.values()
            for number in numbers
        }
        leaves = [[("name", "=ilike", escape_psql(name))] for name in names]
        if vats or tails:
            self.flush_model(["phone", "mobile", "vat"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id FROM res_partner
                     WHERE upper(replace(vat, ' ', '')) = ANY(%(vats)s)
                        OR right(regexp_replace(phone, '[^0-9]', '', 'g'), 7) = ANY(%(tails)s)
                        OR right(regexp_replace(mobile, '[^0-9]', '', 'g'), 7) = ANY(%(tails)s)
                    """,
                    vats=list(vats),
                    tails=list(tails),
                )
            )
            leaves.append([("id", "in", [row[0] for row in self.env.cr.fetchall()])])
        if not leaves:
            return {}
        candidates = self.sudo().search(
            expression.AND(
                [
                    self._compliance_customer_domain(),
                    [("id", "not in", list(exclude_ids))],
                    expression.OR(leaves),
                ]
            )
        )
        candidate_keys = candidates._compliance_partner_keys()
        return {
            record: candidates.browse(
                candidate.id
                for candidate, (c_name, c_vat, c_numbers) in candidate_keys.items()
                if (name and name == c_name) or (vat and vat == c_vat) or numbers & c_numbers
            )
            for record, (name, vat, numbers) in keys.items()
        }

    def _compliance_duplicates(self):
        """{partner: the other customers with the same name, phone or tax ID}."""
        return self._compliance_find_duplicates(self._compliance_partner_keys(), self.ids)

    @api.model
    def _compliance_refuse_duplicates(self, found, own_users):
        """Refuse when a record of ``found`` ({record: duplicates}) is already someone
        else's customer (or in the pool): the current user's own customers, and those
        of ``own_users[record]`` (the new owner, the lead's salesperson), are no 撞单.
        ``found`` is keyed by (record, the name the user gave it)."""
        for (record, label), duplicates in found.items():
            others = duplicates.filtered(
                lambda d, r=record: d.user_id not in (self.env.user | own_users[r])
            )
            if not others:
                continue
            duplicate = others.filtered("user_id")[:1] or others[:1]
            if not duplicate.user_id:
                raise UserError(
                    self.env._(
                        "%(name)s already exists as %(customer)s in the public pool: "
                        "claim it there instead of creating it again.",
                        name=label,
                        customer=duplicate.name,
                    )
                )
            raise UserError(
                self.env._(
                    "%(name)s already exists as %(customer)s, a customer of %(owner)s "
                    "(same name, phone or tax ID). Ask %(owner)s or a compliance officer.",
                    name=label,
                    customer=duplicate.name,
                    owner=duplicate.user_id.name,
                )
            )

    def _compliance_guard_duplicates(self):
        """Refuse a new customer that is already someone else's (or in the pool)."""
        found = self._compliance_duplicates()
        self._compliance_refuse_duplicates(
            {(partner, partner.name): dups for partner, dups in found.items()},
            {partner: partner.user_id for partner in found},
        )

    _compliance_hash_trigger_fields = ("user_id", "credit_limit")

    def _compliance_guard_assign(self, changed):
        """Owners and protection periods are set by the ownership path alone (Claim,
        Release, the release job, the hand-over: as superuser) or by a compliance
        officer; never by a client, on create or on write, whatever field causes it."""
        if changed and not self._compliance_can_assign():
            raise AccessError(
                self.env._(
                    "You cannot change the owner or the protection period of %s directly: "
                    "use Claim or Release to Pool, or ask a compliance officer.",
                    ", ".join(changed.mapped("display_name")),
                )
            )

    def _compliance_ownership_state(self):
        """{partner id: (customer id, owner id) or None}: the customer each partner
        belongs to for the ownership rules (its commercial entity, when that is a
        customer) and its owner, as every rule reads them."""
        partners = self.sudo().with_context(active_test=False)
        customers = partners.commercial_partner_id.filtered_domain(
            self._compliance_customer_domain()
        )
        return {
            partner.id: (
                (partner.commercial_partner_id.id, partner.commercial_partner_id.user_id.id)
                if partner.commercial_partner_id in customers
                else None
            )
            for partner in partners
        }

    def _compliance_settle_ownership(self, before):
        """After a write that may move partners between customers or owners (``before``:
        ``_compliance_ownership_state`` before it): the one ownership path. A change of
        the owner a customer, or a partner of it, answers to, whatever field caused it
        (the owner, the parent, the commercial entity, the company type, the ranks...),
        is for the claim and release code (superuser) or an officer, and is logged.
        Returns the partners that became customers of their own (a detach, a rank...).
        """
        after = self._compliance_ownership_state()
        moved = self.filtered(
            lambda p: before[p.id] and (not after[p.id] or after[p.id][1] != before[p.id][1])
        )
        if moved:
            self._compliance_guard_assign(moved)
            # the history is the customers': a customer before or after the change
            changes = []
            for partner in moved:
                old, new = before[partner.id], after[partner.id] or (False, False)
                if partner.id in (old[0], new[0]):
                    changes.append((partner, old[1], new[1]))
            self._compliance_log_ownership(changes)
        return self.filtered(
            lambda p: (
                after[p.id]
                and after[p.id][0] == p.id
                and (not before[p.id] or before[p.id][0] != p.id)
            )
        )

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

    # ------------------------------------------------------------------
    # Ownership and public pool (客户归属 / 公海)
    # ------------------------------------------------------------------
    def _compliance_log_ownership(self, changes, note=None):
        """Log ``changes``: [(customer, previous owner id, new owner id)]."""
        # the reason is set by the claim/release code (as superuser), never by a client
        reason = self.env.su and self.env.context.get("compliance_ownership_reason")
        if reason not in dict(OWNERSHIP_REASONS):
            reason = "assign"
        note = note or self.env.context.get("compliance_ownership_note") or False
        vals_list = [
            {
                "partner_id": partner.id,
                "old_user_id": old or False,
                "new_user_id": new or False,
                "reason": reason,
                "note": note,
                "user_id": self.env.uid,
                # the customer's company, not the one of whoever (cron...) changed it
                "company_id": partner.company_id.id,
            }
            for partner, old, new in changes
            if (old or False) != (new or False)
        ]
        if vals_list:
            self.env["sales.compliance.ownership.log"].sudo().create(vals_list)

    def _compliance_merge_ownership(self, destination):
        """Before Odoo's merge wizard merges ``self`` into ``destination``: the contacts
        and documents of each source go to the customer of the destination, and so to
        its owner. A change of owner is for an officer; returns the changes to log on
        the destination once merged: [(previous owner id, new owner id, note)]."""
        state = (self | destination)._compliance_ownership_state()
        target = state[destination.id]
        moved = self.filtered(lambda p: state[p.id] and (not target or target[1] != state[p.id][1]))
        self._compliance_guard_assign(moved)
        return [
            (
                state[partner.id][1],
                target and target[1],
                self.env._(
                    "Merged %(merged)s into %(kept)s",
                    merged=partner.display_name,
                    kept=destination.display_name,
                ),
            )
            for partner in moved
        ]

    @api.model
    def _compliance_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(f"sales_compliance.{key}")
        try:
            return int(value) if value not in (None, False, "") else default
        except ValueError:
            return default

    def action_compliance_claim(self):
        for partner in self:
            partner._compliance_claim(self.env.user)
        return True

    def _compliance_claim(self, user):
        """Make ``user`` the owner of this pool customer.

        Concurrency: the partner row is locked with ``FOR UPDATE NOWAIT`` and its owner
        read from the database, so of two simultaneous claims exactly one wins; the
        claimer's row is locked too (see ``_compliance_guard_cap``).
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        cr = self.env.cr
        partner.flush_recordset(["user_id"])
        try:
            # a lock refused is an expected answer here, not a bad query to log (as Odoo does)
            with mute_logger("odoo.sql_db"), cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        "SELECT user_id FROM res_partner WHERE id = %s FOR UPDATE NOWAIT",
                        partner.id,
                    )
                )
                owner_id = cr.fetchone()[0]
        except psycopg2.errors.LockNotAvailable as exc:
            raise UserError(
                self.env._(
                    "%s is being claimed or changed by someone else right now.", partner.name
                )
            ) from exc
        partner.invalidate_recordset(["user_id"])
        if owner_id:
            owner = self.env["res.users"].sudo().browse(owner_id)
            raise UserError(
                self.env._(
                    "%(partner)s already belongs to %(owner)s.",
                    partner=partner.name,
                    owner=owner.name,
                )
            )
        if not partner.sudo().filtered_domain(self._compliance_customer_domain()):
            raise UserError(self.env._("%s is not a customer of the public pool.", partner.name))
        partner._compliance_assign(user, "claim", check_limits=True)

    def _compliance_assign(self, user, reason, note=None, check_limits=False):
        """Give these customers to ``user``, or back to the pool when ``user`` is empty:
        the one path of the suite's changes of owner (claim, release, the release job,
        the hand-over). An officer's edit of the owner goes through the same guarded
        write path, which this method writes through as superuser (``write``, then
        ``_compliance_settle_ownership``: the guard and the ownership log, with
        ``reason`` and ``note``).

        - ``check_limits``: ``user`` takes the customers for themselves (a claim): the
          reclaim cooldown and the cap per salesperson bind. A manager's assignment (a
          hand-over) is not bound by them.
        - Protection: a new owner keeps the customer until ``protection_days`` after
          today (the day of the customer's company); a longer protection already
          running is kept. Back to the pool, the protection ends.
        - The save rules are not checked: a change of owner is not what a rep enters.

        The callers check who may do it (the claimer is the user; the owner, their
        leader or an officer releases; a sales manager hands over): private, so not
        callable by a client.
        """
        if reason not in dict(OWNERSHIP_REASONS):
            raise ValueError(f"{reason!r} is not a reason of the ownership log")
        context = {"compliance_ownership_reason": reason, "compliance_skip": COMPLIANCE_SKIP}
        if note:
            context["compliance_ownership_note"] = note
        partners = self.sudo().with_context(**context)
        if not user:
            partners.write({"user_id": False, "compliance_protection_end": False})
            return
        if check_limits:
            for partner in self:
                partner._compliance_guard_cooldown(user)
            self._compliance_guard_cap(user, self)
        days = self._compliance_param("protection_days", 30)
        for company, of_company in partners.grouped("company_id").items():
            until = company._sales_today() + timedelta(days=days)
            longer = of_company.filtered(
                lambda p, until=until: (
                    p.compliance_protection_end and p.compliance_protection_end > until
                )
            )
            if longer:
                longer.write({"user_id": user.id})
            if of_company - longer:
                (of_company - longer).write(
                    {"user_id": user.id, "compliance_protection_end": until}
                )

    def _compliance_guard_cooldown(self, user):
        """A customer released from ``user`` (by them or for lack of follow-up) cannot
        be claimed back by them before the cooldown ends: releasing and re-claiming
        must not renew the protection."""
        self.ensure_one()
        days = self._compliance_param("reclaim_cooldown_days", 30)
        if not days:
            return
        since = fields.Datetime.now() - timedelta(days=days)
        release = (
            self.env["sales.compliance.ownership.log"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.id),
                    ("old_user_id", "=", user.id),
                    ("reason", "in", ("release", "auto_release")),
                    ("date", ">=", since),
                ],
                order="date desc",
                limit=1,
            )
        )
        if release:
            raise UserError(
                self.env._(
                    "%(partner)s was released from %(user)s on %(date)s: %(user)s can claim "
                    "it again from %(until)s on.",
                    partner=self.name,
                    user=user.name,
                    date=format_date(self.env, release.date),
                    until=format_date(self.env, release.date + timedelta(days=days)),
                )
            )

    @api.model
    def _compliance_guard_cap(self, users, partners):
        """Refuse when ``partners`` (claimed or created) take an owner in ``users``
        over the cap of customers per salesperson.

        Concurrency: the owners' rows are locked and updated, so that parallel claims
        or creations (of other customers) cannot exceed the cap: a transaction that
        started before ours commits fails on its lock (serialization failure).
        """
        cap = self._compliance_param("claim_cap", 0)
        if not cap:
            return
        cr = self.env.cr
        try:
            with mute_logger("odoo.sql_db"), cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        "SELECT id FROM res_users WHERE id = ANY(%s) ORDER BY id FOR UPDATE NOWAIT",
                        users.ids,
                    )
                )
                cr.execute(
                    SQL(
                        "UPDATE res_users SET write_date = write_date WHERE id = ANY(%s)", users.ids
                    )
                )
        except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure) as exc:
            raise UserError(
                self.env._(
                    "Another claim or change was saved while taking %s. Please try again.",
                    ", ".join(partners.mapped("name")),
                )
            ) from exc
        held = self._compliance_customers_held(users, exclude=partners)
        for user in users:
            # created with this owner, or claimed (no owner yet) by them
            taking = len(partners.filtered(lambda p, u=user: not p.user_id or p.user_id == u))
            if held.get(user.id, 0) + taking > cap:
                raise UserError(
                    self.env._(
                        "%(user)s already holds %(held)s customers; the cap is %(cap)s. "
                        "Release a customer before taking another one.",
                        user=user.name,
                        held=held.get(user.id, 0),
                        cap=cap,
                    )
                )

    def action_compliance_release(self):
        """Give the customer back to the pool (its owner, team leader or an officer)."""
        officer = self._compliance_can_assign()
        partners = self.commercial_partner_id
        # the teams the current user leads, once: no query per customer
        led_users = self.env.user._sales_self_and_team_members()
        for partner in partners:
            if not partner.user_id:
                raise UserError(self.env._("%s is already in the public pool.", partner.name))
            allowed = officer or partner.user_id in led_users
            if not allowed:
                raise UserError(
                    self.env._(
                        "Only the owner, their team leader or an officer can release %s.",
                        partner.name,
                    )
                )
        partners._compliance_assign(False, "release")
        return True

    @api.model
    def _compliance_follow_ups(self, since, since_day, today):
        """SQL conditions on ``p``, one per kind of follow-up of an owned customer at or
        after ``since`` (the UTC start of the company's day ``since_day``): created
        then, given its owner then (claim, assignment: the clock starts no earlier than
        the claim), an order, a lead or an activity done since, or an open activity due
        within the window (from ``since_day`` to ``today``). An activity scheduled
        years ahead, or a done activity dated ahead, is no follow-up: it would keep
        the customer out of the pool for ever."""
        return [
            SQL("p.create_date >= %s", since),
            SQL(
                """EXISTS (
                    SELECT 1 FROM sales_compliance_ownership_log ol
                     WHERE ol.partner_id = p.id AND ol.new_user_id = p.user_id
                       AND ol.date >= %s)""",
                since,
            ),
            SQL(
                """EXISTS (
                    SELECT 1 FROM sale_order so
                      JOIN res_partner c ON c.id = so.partner_id
                     WHERE c.commercial_partner_id = p.id AND so.write_date >= %s)""",
                since,
            ),
            SQL(
                """EXISTS (
                    SELECT 1 FROM crm_lead l
                      JOIN res_partner c ON c.id = l.partner_id
                     WHERE c.commercial_partner_id = p.id AND l.write_date >= %s)""",
                since,
            ),
            SQL(
                """EXISTS (
                    SELECT 1 FROM mail_activity a
                     WHERE a.res_model = 'res.partner' AND a.res_id = p.id
                       AND a.date_deadline BETWEEN %s AND %s)""",
                since_day,
                today,
            ),
            SQL(
                """EXISTS (
                    SELECT 1 FROM mail_message m
                     WHERE m.model = 'res.partner' AND m.res_id = p.id
                       AND m.mail_activity_type_id IS NOT NULL
                       AND m.date BETWEEN %s AND %s)""",
                since,
                # a message dated ahead (message_post takes a date) is no follow-up done
                fields.Datetime.now(),
            ),
        ]

    @api.model
    def _compliance_stale_owner_query(self, limit=None, lock=False, partner_ids=None, notice=False):
        """Owned customers without follow-up for the release days (``notice``: that
        reach them within the notice days and whose owner was not told yet in this
        cycle, i.e. since the last follow-up)."""
        release_days = self._compliance_param("release_days", 90)
        notice_days = self._compliance_param("release_notice_days", 7) if notice else 0
        company = self.env.company
        today = company._sales_today()
        cutoff_day = today - timedelta(days=release_days - notice_days)
        cutoff = company._sales_utc(cutoff_day)
        if notice:
            # Told already in this cycle? A notice sent since the cutoff is of this cycle
            # (the customer had no follow-up since the cutoff). An older one is of an
            # earlier cycle, unless the release was held up (protection extended...)
            # for longer than the release days minus the notice days since the notice:
            # then the owner is told again, as a reminder.
            not_told = SQL(
                "(p.compliance_release_notice_sent IS NULL"
                " OR p.compliance_release_notice_sent < %s)",
                cutoff,
            )
        else:
            not_told = SQL("TRUE")
        customers = (
            self.sudo().with_context(active_test=False)._search(self._compliance_customer_domain())
        )
        query = SQL(
            """
            SELECT p.id FROM res_partner p
             WHERE p.user_id IS NOT NULL
               AND p.active
               AND p.id IN %(customers)s
               AND (p.compliance_protection_end IS NULL
                    OR p.compliance_protection_end < %(release_day)s)
               AND %(no_follow_up)s
               AND %(not_told)s
               AND (%(all)s OR p.id = ANY(%(ids)s))
             ORDER BY p.id
            """,
            customers=customers.subselect(),
            release_day=today + timedelta(days=notice_days),
            # NOT ... AND NOT ...: anti-joins, as fast as without the claim date
            no_follow_up=SQL(" AND ").join(
                SQL("NOT %s", follow_up)
                for follow_up in self._compliance_follow_ups(cutoff, cutoff_day, today)
            ),
            not_told=not_told,
            all=partner_ids is None,
            ids=list(partner_ids or []),
        )
        if limit:
            query = SQL("%s LIMIT %s", query, limit)
        if lock:
            query = SQL("%s FOR UPDATE OF p SKIP LOCKED", query)
        return query, release_days if not notice else (release_days and notice_days)

    @api.model
    def _compliance_stale_batch(self, batch_size, partner_ids, notice):
        """The ids of one locked batch of stale customers, and how many remain after it."""
        query, days = self._compliance_stale_owner_query(
            limit=batch_size, lock=True, partner_ids=partner_ids, notice=notice
        )
        if not days:
            return [], 0
        self.env.flush_all()
        self.env.cr.execute(query)
        return [row[0] for row in self.env.cr.fetchall()], days

    @api.model
    def _compliance_count_stale(self, partner_ids, notice):
        self.env.flush_all()
        query, _days = self._compliance_stale_owner_query(partner_ids=partner_ids, notice=notice)
        self.env.cr.execute(SQL("SELECT count(*) FROM (%s) AS stale", query))
        return self.env.cr.fetchone()[0]

    @api.model
    def _compliance_release_batch(self, batch_size=500, partner_ids=None):
        """Release one batch of customers without follow-up; return (done, remaining).

        Idempotent (a released customer no longer matches) and safe with several
        workers (``FOR UPDATE SKIP LOCKED``). ``partner_ids`` limits the candidates."""
        ids, release_days = self._compliance_stale_batch(batch_size, partner_ids, notice=False)
        if not release_days:
            return 0, 0
        if ids:
            self.browse(ids)._compliance_assign(
                False,
                "auto_release",
                note=self.env._("No follow-up for %s days", release_days),
            )
        return len(ids), self._compliance_count_stale(partner_ids, notice=False)

    @api.model
    def _compliance_notice_batch(self, batch_size=500, partner_ids=None):
        """Tell the owners of one batch of customers that reach the release within the
        notice days; return (done, remaining). Once per cycle: the notice date is
        stored, and a customer followed up after it gets a new notice when it comes
        close to the release again.

        A message to the owner, not an activity: an open activity counts as follow-up
        and would keep the customer from ever being released."""
        ids, notice_days = self._compliance_stale_batch(batch_size, partner_ids, notice=True)
        if not notice_days:
            return 0, 0
        partners = self.browse(ids).sudo()
        partners.write({"compliance_release_notice_sent": fields.Datetime.now()})
        for partner in partners:
            partner = partner.with_context(lang=partner.user_id.lang)
            partner.message_post(
                body=partner.env._(
                    "%(partner)s has had no follow-up (activity, lead or order) for a while: "
                    "it goes back to the public pool within %(days)s days unless %(owner)s "
                    "follows it up.",
                    partner=partner.name,
                    days=notice_days,
                    owner=partner.user_id.name,
                ),
                partner_ids=partner.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        return len(ids), self._compliance_count_stale(partner_ids, notice=True)

    @api.model
    def _cron_compliance_release(self):
        """Cron: tell the owners of the customers about to be released, then release
        one batch; report progress so that the cron reruns at once while customers
        remain (each batch is committed by the cron runner)."""
        batch_size = self._compliance_param("release_batch_size", 500) or 500
        told = to_tell = done = remaining = 0
        try:
            # Another worker (a twin run, a user following a customer up) may have changed
            # some of these customers since this transaction began: PostgreSQL then refuses
            # to lock them (serialization failure). Stop here instead of failing (Odoo
            # deactivates a failing cron): the next run, or the twin, takes them.
            with mute_logger("odoo.sql_db"):
                with self.env.cr.savepoint():
                    told, to_tell = self._compliance_notice_batch(batch_size)
                with self.env.cr.savepoint():
                    done, remaining = self._compliance_release_batch(batch_size)
        except psycopg2.errors.SerializationFailure:
            self.env.invalidate_all()
        self.env["ir.cron"]._notify_progress(done=told + done, remaining=to_tell + remaining)

    @api.model
    def _compliance_release_stale_owners(self, batch_size=500, partner_ids=None):
        """Release every customer without follow-up, batch after batch, in the current
        transaction (scripts, benchmark). Returns the number released."""
        total = 0
        while True:
            done, remaining = self._compliance_release_batch(batch_size, partner_ids)
            total += done
            if not done or not remaining:
                return total
