from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .sales_compliance_mixin import COMPLIANCE_SKIP
from .sales_compliance_ownership_log import OWNERSHIP_REASONS

# Ownership fields: changed through Claim / Release (or by a compliance officer) only
OWNERSHIP_FIELDS = ("user_id", "compliance_protection_end")


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "sales.compliance.mixin"]

    compliance_protection_end = fields.Date(
        string="Protected Until",
        tracking=True,
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

    @api.depends("user_id", "parent_id")
    def _compute_compliance_in_pool(self):
        for partner in self:
            partner.compliance_in_pool = not partner.parent_id and not partner.user_id

    def _search_in_pool(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the public pool."))
        pool = [("parent_id", "=", False), ("user_id", "=", False)]
        if (operator == "=") == value:
            return pool
        return ["|", ("parent_id", "!=", False), ("user_id", "!=", False)]

    @api.model
    def _compliance_led_users(self):
        """The current user and the members of the sales teams they lead (one query)."""
        teams = self.env["crm.team"].sudo().search([("user_id", "=", self.env.uid)])
        return self.env.user | teams.member_ids

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
            domain = [("commercial_partner_id.user_id", "in", self._compliance_led_users().ids)]
        return domain if (operator == "=") == value else ["!", *domain]

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
        today = fields.Date.context_today(self)
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
        partners._compliance_check_save()
        return partners

    _compliance_hash_trigger_fields = ("user_id", "credit_limit")

    def _compliance_check_ownership_write(self, vals):
        """Owners and protection periods of customers change through Claim / Release
        (which respect the claim cap, the protection and the pool) or by an officer."""
        if not set(OWNERSHIP_FIELDS) & set(vals) or self._compliance_can_assign():
            return
        new_user = vals.get("user_id") or False
        new_end = fields.Date.to_date(vals.get("compliance_protection_end")) or False
        changed = self.filtered(
            lambda p: (
                not p.parent_id
                and (
                    ("user_id" in vals and p.user_id.id != new_user)
                    or (
                        "compliance_protection_end" in vals
                        and p.compliance_protection_end != new_end
                    )
                )
            )
        )
        if changed:
            raise AccessError(
                self.env._(
                    "You cannot change the owner or the protection period of %s directly: "
                    "use Claim or Release to Pool, or ask a compliance officer.",
                    ", ".join(changed.mapped("display_name")),
                )
            )

    def write(self, vals):
        self._compliance_check_ownership_write(vals)
        previous = {}
        if "user_id" in vals:
            previous = {p.id: p.user_id for p in self if not p.parent_id}
        res = super().write(vals)
        if previous:
            self._compliance_log_ownership(previous)
        if set(vals) & set(self._compliance_hash_trigger_fields):
            self._compliance_void_stale_approvals()
        self._compliance_check_save()
        return res

    # ------------------------------------------------------------------
    # Ownership and public pool (客户归属 / 公海)
    # ------------------------------------------------------------------
    def _compliance_log_ownership(self, previous):
        # the reason is set by the claim/release code (as superuser), never by a client
        reason = self.env.su and self.env.context.get("compliance_ownership_reason")
        if reason not in dict(OWNERSHIP_REASONS):
            reason = "assign"
        note = self.env.context.get("compliance_ownership_note") or False
        vals_list = [
            {
                "partner_id": partner.id,
                "old_user_id": previous[partner.id].id,
                "new_user_id": partner.user_id.id,
                "reason": reason,
                "note": note,
                "user_id": self.env.uid,
                # the customer's company, not the one of whoever (cron...) changed it
                "company_id": partner.company_id.id,
            }
            for partner in self
            if partner.id in previous and previous[partner.id] != partner.user_id
        ]
        if vals_list:
            self.env["sales.compliance.ownership.log"].sudo().create(vals_list)

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
        claimer's user row is locked and updated too so that parallel claims (of other
        customers) cannot exceed the cap.
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        cr = self.env.cr
        partner.flush_recordset(["user_id"])
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        "SELECT user_id FROM res_partner WHERE id = %s FOR UPDATE NOWAIT",
                        partner.id,
                    )
                )
                owner_id = cr.fetchone()[0]
                cr.execute(SQL("SELECT id FROM res_users WHERE id = %s FOR UPDATE NOWAIT", user.id))
                # A lock alone is not enough: a parallel claim committed after our
                # snapshot would not be counted below. Updating the claimer's row makes
                # any transaction that started before our commit fail on its lock
                # (serialization failure) instead of exceeding the cap.
                cr.execute(
                    SQL("UPDATE res_users SET write_date = write_date WHERE id = %s", user.id)
                )
        except psycopg2.errors.LockNotAvailable as exc:
            raise UserError(
                self.env._(
                    "%s is being claimed or changed by someone else right now.", partner.name
                )
            ) from exc
        except psycopg2.errors.SerializationFailure as exc:
            raise UserError(
                self.env._(
                    "Another claim or change was saved while claiming %s. Please try again.",
                    partner.name,
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
        cap = self._compliance_param("claim_cap", 0)
        if cap:
            held = self.sudo().search_count([("user_id", "=", user.id), ("parent_id", "=", False)])
            if held >= cap:
                raise UserError(
                    self.env._(
                        "%(user)s already holds %(held)s customers; the cap is %(cap)s. "
                        "Release a customer before claiming another one.",
                        user=user.name,
                        held=held,
                        cap=cap,
                    )
                )
        days = self._compliance_param("protection_days", 30)
        partner.sudo().with_context(
            compliance_ownership_reason="claim", compliance_skip=COMPLIANCE_SKIP
        ).write(
            {
                "user_id": user.id,
                "compliance_protection_end": fields.Date.context_today(self) + timedelta(days=days),
            }
        )

    def action_compliance_release(self):
        """Give the customer back to the pool (its owner, team leader or an officer)."""
        officer = self.env.user.has_group("sales_compliance.group_compliance_officer")
        partners = self.commercial_partner_id
        # the teams the current user leads, once: no query per customer
        led_users = self._compliance_led_users()
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
        partners.sudo().with_context(
            compliance_ownership_reason="release", compliance_skip=COMPLIANCE_SKIP
        ).write({"user_id": False, "compliance_protection_end": False})
        return True

    @api.model
    def _compliance_stale_owner_query(self, limit=None, lock=False, partner_ids=None):
        release_days = self._compliance_param("release_days", 90)
        today = fields.Date.context_today(self)
        cutoff = fields.Datetime.to_datetime(today - timedelta(days=release_days))
        query = SQL(
            """
            SELECT p.id FROM res_partner p
             WHERE p.user_id IS NOT NULL
               AND p.parent_id IS NULL
               AND p.active
               AND p.create_date < %(cutoff)s
               AND (p.compliance_protection_end IS NULL OR p.compliance_protection_end < %(today)s)
               AND NOT EXISTS (
                    SELECT 1 FROM sale_order so
                      JOIN res_partner c ON c.id = so.partner_id
                     WHERE c.commercial_partner_id = p.id AND so.write_date >= %(cutoff)s)
               AND NOT EXISTS (
                    SELECT 1 FROM crm_lead l
                      JOIN res_partner c ON c.id = l.partner_id
                     WHERE c.commercial_partner_id = p.id AND l.write_date >= %(cutoff)s)
               AND NOT EXISTS (
                    SELECT 1 FROM mail_activity a
                     WHERE a.res_model = 'res.partner' AND a.res_id = p.id)
               AND NOT EXISTS (
                    SELECT 1 FROM mail_message m
                     WHERE m.model = 'res.partner' AND m.res_id = p.id
                       AND m.mail_activity_type_id IS NOT NULL AND m.date >= %(cutoff)s)
               AND (%(all)s OR p.id = ANY(%(ids)s))
             ORDER BY p.id
            """,
            cutoff=cutoff,
            today=today,
            all=partner_ids is None,
            ids=list(partner_ids or []),
        )
        if limit:
            query = SQL("%s LIMIT %s", query, limit)
        if lock:
            query = SQL("%s FOR UPDATE OF p SKIP LOCKED", query)
        return query, release_days

    @api.model
    def _compliance_release_batch(self, batch_size=500, partner_ids=None):
        """Release one batch of customers without follow-up; return (done, remaining).

        Idempotent (a released customer no longer matches) and safe with several
        workers (``FOR UPDATE SKIP LOCKED``). ``partner_ids`` limits the candidates."""
        query, release_days = self._compliance_stale_owner_query(
            limit=batch_size, lock=True, partner_ids=partner_ids
        )
        if not release_days:
            return 0, 0
        self.env.flush_all()
        self.env.cr.execute(query)
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            self.browse(ids).sudo().with_context(
                compliance_ownership_reason="auto_release",
                compliance_ownership_note=self.env._("No follow-up for %s days", release_days),
                compliance_skip=COMPLIANCE_SKIP,
            ).write({"user_id": False, "compliance_protection_end": False})
            self.env.flush_all()
        count_query, _days = self._compliance_stale_owner_query(partner_ids=partner_ids)
        self.env.cr.execute(SQL("SELECT count(*) FROM (%s) AS stale", count_query))
        remaining = self.env.cr.fetchone()[0]
        return len(ids), remaining

    @api.model
    def _cron_compliance_release(self):
        """Cron: release one batch, report progress so that the cron reruns at once
        while customers remain (each batch is committed by the cron runner)."""
        batch_size = self._compliance_param("release_batch_size", 500) or 500
        done, remaining = self._compliance_release_batch(batch_size)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

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
