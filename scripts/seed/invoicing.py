"""The Seeder's invoicing: invoices built from the orders (their journal items computed up front
with Odoo's tax engine), payments reconciled with them, and the collection plans that follow."""

import math
from datetime import timedelta

from .bulk import create_invoices
from .helpers import chunks


class InvoicingSteps:
    """Invoices, payments and collection plans: steps of the Seeder (seeder.py), whose
    attributes (``env``, ``rng``, ``plans``, ``counts``...) they use."""

    # -- invoices ------------------------------------------------------------------------

    def plan_invoices(self):
        rng = self.rng
        invoices = []  # (date, order id, partial?)
        for plan in self.plans:
            if plan["state"] != "sale":
                continue
            age = (self.today - plan["day"]).days
            if age < 3:
                continue
            p_invoice = 0.97 if age > 40 else 0.6
            if rng.random() >= p_invoice * self.cfg.get("invoice_ratio", 1.0):
                continue
            inv_day = min(plan["day"] + timedelta(days=rng.randint(0, 12)), self.today)
            partial = rng.random() < 0.08 and any(q >= 2 for _p, q, _d in plan["lines"])
            invoices.append((inv_day, plan["order"], "first_half" if partial else "full"))
            if partial and age > 60:
                rest_day = min(inv_day + timedelta(days=rng.randint(15, 40)), self.today)
                invoices.append((rest_day, plan["order"], "rest"))
        invoices.sort(key=lambda x: (x[0], x[1]))
        return invoices

    def _complete_invoice_vals(self, order, vals):
        """Add the balances, the tax lines and the receivable line to invoice ``vals``.

        They are computed with Odoo's own tax engine (the helpers ``_sync_tax_lines`` and
        ``_compute_needed_terms`` use), which lets the invoice be created with
        ``skip_invoice_sync`` -- the per-line synchronisation is what makes invoice creation
        slow. Returns False (vals untouched) for the cases this shortcut does not cover.
        """
        env = self.env
        company = self.company
        currency = company.currency_id
        term = env["account.payment.term"].browse(vals.get("invoice_payment_term_id"))
        partner = order.partner_invoice_id.commercial_partner_id  # vals["partner_id"]
        receivable = partner.with_company(company).property_account_receivable_id
        if (
            order.currency_id != currency
            or order.fiscal_position_id
            or not term
            or term.early_discount
            or not receivable
            or vals.get("invoice_cash_rounding_id")
            or company.tax_calculation_rounding_method != "round_per_line"
        ):
            return False
        AccountTax = env["account.tax"]
        base_lines = []
        for cmd in vals["invoice_line_ids"]:
            lvals = cmd[2]
            product = env["product.product"].browse(lvals["product_id"])
            account = self._income_account(product)
            if not account:
                return False
            lvals["account_id"] = account.id
            base_lines.append(
                AccountTax._prepare_base_line_for_taxes_computation(
                    None,
                    price_unit=lvals["price_unit"],
                    quantity=lvals["quantity"],
                    discount=lvals["discount"],
                    tax_ids=AccountTax.browse(lvals["tax_ids"][0][2]),
                    currency_id=currency,
                    product_id=product,
                    product_uom_id=env["uom.uom"].browse(lvals["product_uom_id"]),
                    partner_id=partner,
                    account_id=account,
                    sign=-1,  # out_invoice: income is a credit
                    is_refund=False,
                    tax_tag_invert=True,
                    rate=1.0,
                )
            )
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        AccountTax._add_accounting_data_in_base_lines_tax_details(base_lines, company)
        tax_results = AccountTax._prepare_tax_lines(base_lines, company)
        untaxed = tax = 0.0
        for (_base_line, to_update), cmd in zip(
            tax_results["base_lines_to_update"], vals["invoice_line_ids"], strict=True
        ):
            cmd[2].update(to_update)  # tax_tag_ids, amount_currency, balance
            untaxed -= to_update["balance"]
        other_lines = []
        for tax_vals in tax_results["tax_lines_to_add"]:
            tax -= tax_vals["balance"]
            other_lines.append((0, 0, {**tax_vals, "display_type": "tax"}))
        terms = term._compute_terms(
            date_ref=vals["invoice_date"],
            currency=currency,
            company=company,
            tax_amount=tax,
            tax_amount_currency=tax,
            sign=1,
            untaxed_amount=untaxed,
            untaxed_amount_currency=untaxed,
        )
        for term_line in terms["line_ids"]:
            other_lines.append(
                (
                    0,
                    0,
                    {
                        "display_type": "payment_term",
                        "account_id": receivable.id,
                        "partner_id": partner.id,
                        "currency_id": currency.id,
                        "date_maturity": term_line["date"],
                        "balance": term_line["company_amount"],
                        "amount_currency": term_line["foreign_amount"],
                        "discount_date": terms.get("discount_date") or False,
                        "discount_balance": terms.get("discount_balance") or 0.0,
                        "discount_amount_currency": terms.get("discount_amount_currency") or 0.0,
                    },
                )
            )
        vals["line_ids"] = other_lines
        return True

    def _income_account(self, product):
        cache = self.__dict__.setdefault("_income_accounts", {})
        if product.id not in cache:
            accounts = product.with_company(self.company).product_tmpl_id.get_product_accounts()
            cache[product.id] = accounts["income"] or self.sale_journal.default_account_id
        return cache[product.id]

    def make_invoices(self):
        env = self.env
        SO = env["sale.order"]
        if getattr(self, "invoices_pending", None) is None:  # else resumed (resume.py)
            self.invoices_pending = self.plan_invoices()
            self.invoices_total = len(self.invoices_pending)
            self.invoice_ids = []
        total = self.invoices_total
        bs = self.cfg["batch"]
        done = total - len(self.invoices_pending)
        # the 'rest' invoices come after the first ones (sorted by date), so process in
        # date order and never put both parts of an order in the same batch
        while pending := self.invoices_pending:
            chunk, seen, later = [], set(), []
            for item in pending:
                if len(chunk) < bs and item[1] not in seen:
                    chunk.append(item)
                    seen.add(item[1])
                else:
                    later.append(item)
            self.invoices_pending = later
            orders = SO.browse([x[1] for x in chunk])
            vals_list, fast_vals = [], []
            for (inv_day, _oid, mode), order in zip(chunk, orders, strict=True):
                order = order.with_company(order.company_id)
                vals = order._prepare_invoice()
                vals["invoice_date"] = inv_day
                vals["journal_id"] = self.sale_journal.id
                lines = []
                for seq, line in enumerate(
                    order.order_line.filtered(lambda sol: not sol.display_type)
                ):
                    qty = line.product_uom_qty - line.qty_invoiced
                    if mode == "first_half":
                        qty = math.floor(line.product_uom_qty / 2)
                    if qty <= 0:
                        continue
                    lvals = line._prepare_invoice_line(sequence=seq + 1)
                    lvals["quantity"] = qty
                    lines.append((0, 0, lvals))
                if not lines:
                    continue
                vals["invoice_line_ids"] = lines
                if self.fast_invoices and self._complete_invoice_vals(order, vals):
                    fast_vals.append(vals)
                else:
                    vals_list.append(vals)
            moves = env["account.move"]
            if fast_vals:
                # journal items are complete and balanced: skip the (slow) synchronisations
                fast_ctx = {
                    "skip_invoice_sync": True,
                    "skip_invoice_line_sync": True,
                    "skip_analytic_sync": True,
                }
                if self.bulk:
                    fast_moves = create_invoices(env, fast_vals).with_context(**fast_ctx)
                else:
                    fast_moves = (
                        env["account.move"]
                        .with_context(default_move_type="out_invoice", **fast_ctx)
                        .create(fast_vals)
                    )
                fast_moves.with_context(skip_invoice_sync=True).action_post()
                moves |= fast_moves
            if vals_list:
                slow_moves = SO._create_account_invoices(vals_list, final=False)
                slow_moves = env["account.move"].browse(slow_moves.ids)
                slow_moves.action_post()
                moves |= slow_moves
            self.invoice_ids.extend(moves.ids)
            done += len(chunk)
            self.counts["invoices"] += len(moves)
            self.counts["invoice_lines"] += len(moves.invoice_line_ids)
            self.commit()
            self.log("invoices", done, total)

    # -- payments ------------------------------------------------------------------------

    def make_payments(self):
        env, rng = self.env, self.rng
        AML = env["account.move.line"]
        Move = env["account.move"]
        Payment = env["account.payment"]
        total = len(self.invoice_ids)
        bs = self.cfg["batch"] * 2
        done = getattr(self, "payments_done", 0)  # not 0 when resumed (resume.py)
        method_line = self.bank_journal.inbound_payment_method_line_ids[:1]

        def open_receivable(ln):
            return ln.account_id.account_type == "asset_receivable" and not ln.reconciled

        for chunk_ids in chunks(self.invoice_ids[done:], bs):
            invoices = Move.browse(chunk_ids)
            pay_vals, targets = [], []
            for inv in invoices:
                due = inv.invoice_date_due or inv.invoice_date
                overdue_days = (self.today - due).days
                roll = rng.random()
                if overdue_days > 0:
                    mode = "full" if roll < 0.82 else ("partial" if roll < 0.93 else None)
                else:
                    mode = "full" if roll < 0.35 else ("partial" if roll < 0.45 else None)
                if not mode:
                    continue
                residual = inv.amount_residual
                if mode == "partial":
                    amount = inv.currency_id.round(residual * rng.choice([0.3, 0.4, 0.5, 0.6]))
                else:
                    amount = residual
                if amount <= 0:
                    continue
                delay = self.term_delay.get(inv.invoice_payment_term_id.id, 30)
                pay_day = inv.invoice_date + timedelta(days=max(0, delay + rng.randint(-10, 20)))
                pay_day = min(pay_day, self.today)
                pay_vals.append(
                    {
                        "payment_type": "inbound",
                        "partner_type": "customer",
                        "partner_id": inv.commercial_partner_id.id,
                        "amount": amount,
                        "currency_id": inv.currency_id.id,
                        "date": pay_day,
                        "journal_id": self.bank_journal.id,
                        "payment_method_line_id": method_line.id,
                        "memo": inv.name,
                        "payment_reference": inv.payment_reference or inv.name,
                    }
                )
                targets.append(inv)
            if pay_vals:
                payments = Payment.create(pay_vals)
                payments.action_post()
                plan = []
                for pay, inv in zip(payments, targets, strict=True):
                    pay_lines = pay.move_id.line_ids.filtered(open_receivable)
                    inv_lines = inv.line_ids.filtered(open_receivable)
                    plan.append(pay_lines + inv_lines)
                AML._reconcile_plan(plan)
                if self.bulk:
                    self._match_payments(payments, targets)
                else:
                    for pay, inv in zip(payments, targets, strict=True):
                        inv.matched_payment_ids += pay
                self.counts["payments"] += len(payments)
            done += len(chunk_ids)
            self.payments_done = done
            self.commit()
            self.log("payments", done, total)

    def _match_payments(self, payments, invoices):
        """``invoice.matched_payment_ids += payment`` for each pair, in one insert; what
        depends on the link is recomputed at the next flush, for all of them at once."""
        env = self.env
        env.flush_all()
        pairs = [(inv.id, pay.id) for pay, inv in zip(payments, invoices, strict=True)]
        env.cr.execute(
            "INSERT INTO account_move__account_payment (invoice_id, payment_id) "
            "SELECT * FROM unnest(%s::int[], %s::int[]) ON CONFLICT DO NOTHING",
            ([i for i, _p in pairs], [p for _i, p in pairs]),
        )
        moves = env["account.move"].browse([i for i, _p in pairs])
        moves.invalidate_recordset(["matched_payment_ids"])
        payments.invalidate_recordset(["invoice_ids"])
        moves.modified(["matched_payment_ids"])
        payments.modified(["invoice_ids"])

    # -- collection plans ------------------------------------------------------------------

    def make_collection_plans(self):
        """A collection plan for every confirmed order (sales_assistant), as confirming it in
        the web client makes one; states follow the invoices and payments made above."""
        env = self.env
        if "sales.collection.plan" not in env:
            return
        orders = env["sale.order"].search([("state", "=", "sale")], order="id")
        for batch in chunks(orders.ids, 500):
            plans = env["sale.order"].browse(batch)._collection_create_plans()
            plans._collection_refresh()
            self.counts["collection_plans"] += len(plans)
            self.log("collection plans", self.counts["collection_plans"], len(orders))
            self.commit()
