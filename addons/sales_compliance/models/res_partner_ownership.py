from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, escape_psql, format_date, mute_logger

from .sales_compliance_mixin import COMPLIANCE_SKIP
from .sales_compliance_ownership_log import OWNERSHIP_REASONS


class ResPartner(models.Model):
    """The owner of a customer (客户归属) and the one path that changes it: the guard, the
    ownership log, the protection period, the reclaim cooldown, the cap per salesperson and
    the duplicate check of new customers (撞单)."""

    _inherit = "res.partner"

    compliance_can_assign = fields.Boolean(
        string="Can Change Owner", compute="_compute_compliance_can_assign"
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

    compliance_ownership_log_ids = fields.One2many(
        "sales.compliance.ownership.log", "partner_id", string="Ownership History"
    )

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

    compliance_protection_end = fields.Date(
        string="Protected Until",
        tracking=True,
        copy=False,
        help="Until this date the owner keeps the customer even without follow-up.",
    )

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
        partners._compliance_prefetch_contacts()
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

    # ------------------------------------------------------------------
    # New customers: duplicate check (撞单) and cap
    # ------------------------------------------------------------------
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
