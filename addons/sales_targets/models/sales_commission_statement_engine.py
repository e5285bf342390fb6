from collections import defaultdict
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class LineRow(NamedTuple):
    """A computed statement line (commission or clawback), as inserted in bulk."""

    statement_id: int
    line_type: str
    res_model: str
    res_id: int | None
    doc_name: str
    date: object
    share: float
    base_amount: float
    rate: float
    amount: float
    clawback_origin: str | None
    company_id: int
    source_ref: str | None
    clawback_kind: str | None


class TotalsRow(NamedTuple):
    """The totals of one statement, written back in bulk."""

    id: int
    base_amount: float
    target_value: float
    achievement_pct: float
    commission_amount: float
    clawback_amount: float
    next_tier_pct: float
    next_tier_gap: float
    next_tier_amount: float
    version_id: int


class Document(NamedTuple):
    """A commissioned document of a salesperson (the target, for an achievement bonus)."""

    res_model: str
    res_id: int
    doc_name: str
    day: object
    share: float
    amount: float


class TargetOfUser(NamedTuple):
    """The salesperson's target a statement measures achievement against."""

    value: float
    name: str


NO_TARGET = TargetOfUser(0.0, "")


class PeriodFacts(NamedTuple):
    """What the salespeople did in a period, as a scheme version measures it."""

    targets: dict
    documents: dict
    base: dict
    clawbacks: dict
    source: object


class SalesCommissionStatement(models.Model):
    """The set-based engine of commission statements: commissionable documents, achievement
    bonuses, clawbacks (``sales_commission_statement_clawback.py``) and earned-to-date, in a
    constant number of queries per plan and period whatever the number of lines."""

    _inherit = "sales.commission.statement"

    def _compute_statements(self):
        """Set-based computation of draft statements.

        Per plan and period: one query for the commissionable documents, one grouped read of
        the targets and one query for clawbacks; lines are inserted and totals updated with
        one statement per 5,000 rows.
        """
        self._check_draft()
        if not self:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "DELETE FROM sales_commission_statement_line "
                "WHERE statement_id IN %s AND line_type != 'adjustment'",
                tuple(self.ids),
            )
        )
        groups = defaultdict(lambda: self.browse())
        for statement in self:
            groups[(statement.scheme_id, statement.date_from, statement.date_to)] |= statement
        line_rows, totals = [], []
        for (scheme, date_from, date_to), statements in groups.items():
            rows, stats = statements._compute_group(scheme, date_from, date_to)
            line_rows += rows
            totals += stats
        self._insert_lines(line_rows)
        self._write_totals(totals)
        self.env["sales.commission.statement.line"].invalidate_model()
        self.invalidate_recordset()
        self.modified(["line_ids"])
        return True

    def _compute_group(self, scheme, date_from, date_to):
        by_user = {s.user_id.id: s for s in self}
        company = scheme.company_id
        terms = scheme._terms_at(date_from)
        facts = self._period_facts(scheme, terms, date_from, date_to, list(by_user))
        targets, documents, base, clawbacks, source = facts
        rows, totals, ratios = [], [], []
        for user_id, statement in by_user.items():
            target_value = targets.get(user_id, NO_TARGET).value
            result = terms._commission(base[user_id], target_value)
            ratio = result["amount"] / base[user_id] if base[user_id] else 0.0
            ratios.append((user_id, statement.id, ratio))
            for document in documents[user_id]:
                rows.append(
                    LineRow(
                        statement_id=statement.id,
                        line_type="commission",
                        res_model=document.res_model,
                        res_id=document.res_id or None,
                        doc_name=document.doc_name,
                        date=document.day,
                        share=document.share,
                        base_amount=document.amount,
                        rate=ratio * 100.0,
                        amount=result["amount"],
                        clawback_origin=None,
                        company_id=company.id,
                        source_ref=None,
                        clawback_kind=None,
                    )
                )
            clawback_total = 0.0
            for clawback in clawbacks.get(user_id, []):
                rows.append(
                    LineRow(
                        statement_id=statement.id,
                        line_type="clawback",
                        res_model=clawback.res_model,
                        res_id=clawback.res_id,
                        doc_name=clawback.doc_name,
                        date=clawback.day,
                        share=100.0,
                        base_amount=0.0,
                        rate=0.0,
                        amount=clawback.amount,
                        clawback_origin=clawback.origin,
                        company_id=company.id,
                        source_ref=None,
                        clawback_kind=clawback.kind,
                    )
                )
                clawback_total += clawback.amount
            totals.append(
                TotalsRow(
                    id=statement.id,
                    base_amount=base[user_id],
                    target_value=target_value,
                    achievement_pct=result["achievement"],
                    commission_amount=result["amount"],
                    clawback_amount=clawback_total,
                    next_tier_pct=result["next_pct"],
                    next_tier_gap=result["next_gap"],
                    next_tier_amount=result["next_amount"],
                    version_id=terms.id,
                )
            )
        if terms.base != "achievement" and ratios:
            self._insert_document_lines(source, ratios, company)
        return rows, totals

    def _period_facts(self, scheme, terms, date_from, date_to, user_ids):
        """What the salespeople ``user_ids`` did in a period, as the version ``terms`` of
        ``scheme`` measures it: read only, nothing written. The statements compute with it,
        and so does the what-if replay, so that a replay pays exactly as the statements would.

        ``self``: the draft statements computed together (empty for a replay).

        :return: PeriodFacts(targets, documents, base, clawbacks, source)
        """
        company = scheme.company_id
        targets = self._targets_by_user(terms, date_from, date_to, user_ids)
        documents = defaultdict(list)
        base = defaultdict(float)
        clawbacks = self._clawbacks(scheme, date_from, date_to, user_ids)
        source = None
        if terms.base == "achievement":
            # earlier statements, whose bonus is measured again on today's facts
            earlier = self.search(
                [
                    ("scheme_id", "=", scheme.id),
                    ("user_id", "in", user_ids),
                    ("date_to", "<", date_from),
                ]
            )
            paid = earlier.filtered(lambda s: s.state != "draft")
            # the metric's actual for the period, by the same function as target achievement
            series = terms.metric_id._fetch_series(
                min([date_from, *paid.mapped("date_from")]), date_to, company
            )
            for user_id in user_ids:
                if ("user", user_id) in series:
                    base[user_id] = series[("user", user_id)].total(date_from, date_to)
            self._bonus_clawbacks(scheme, earlier, paid, series, clawbacks, date_from, date_to)
            for user_id in user_ids:
                if user_id in targets or base[user_id]:
                    documents[user_id].append(
                        Document(
                            res_model="sales.target",
                            res_id=0,
                            doc_name=targets.get(user_id, NO_TARGET).name,
                            day=date_to,
                            share=100.0,
                            amount=base[user_id],
                        )
                    )
        else:
            source = terms.metric_id._source_sql(date_from, date_to, company, user_ids)
            self.env.cr.execute(
                SQL("SELECT user_id, SUM(amount) FROM (%s) src GROUP BY user_id", source)
            )
            for user_id, amount in self.env.cr.fetchall():
                base[user_id] = float(amount or 0.0)
        return PeriodFacts(targets, documents, base, clawbacks, source)

    def _targets_by_user(self, scheme, date_from, date_to, user_ids):
        """{user_id: TargetOfUser} of the salesperson targets of the plan's
        metric covering exactly the period, in approved or locked target plans."""
        if not scheme.metric_id:
            return {}
        groups = (
            self.env["sales.target"]
            .sudo()
            ._read_group(
                [
                    ("metric_id", "=", scheme.metric_id.id),
                    ("company_id", "=", scheme.company_id.id),
                    ("assignee_type", "=", "user"),
                    ("user_id", "in", user_ids),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                    ("plan_id.state", "in", ("approved", "locked")),
                ],
                ["user_id"],
                ["target_value:sum", "name:max"],
            )
        )
        return {user.id: TargetOfUser(value, name) for user, value, name in groups}

    def _insert_document_lines(self, source, ratios, company):
        """One INSERT ... SELECT of every commissioned document line of a plan and period:
        each document's credited amount times its salesperson's effective rate."""
        now = fields.Datetime.now()
        uid = self.env.uid
        values = SQL(", ").join(
            SQL("(%s, %s, %s::numeric)", user_id, statement_id, ratio)
            for user_id, statement_id, ratio in ratios
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO sales_commission_statement_line
                       (statement_id, line_type, res_model, res_id, doc_name, date, share,
                        base_amount, rate, amount, company_id, source_ref,
                        create_uid, write_uid, create_date, write_date)
                SELECT v.statement_id, 'commission', src.res_model, src.res_id, src.doc_name,
                       src.day, src.share, src.amount, v.ratio * 100, src.amount * v.ratio,
                       %(company)s, src.source_ref, %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM (%(source)s) src
                  JOIN (VALUES %(values)s) AS v(user_id, statement_id, ratio)
                    ON v.user_id = src.user_id
                """,
                company=company.id,
                uid=uid,
                now=now,
                source=source,
                values=values,
            )
        )

    def _insert_lines(self, rows):
        """Insert computed lines (``LineRow``), 5,000 per statement."""
        uid = self.env.uid
        columns = ", ".join(
            (*LineRow._fields, "create_uid", "write_uid", "create_date", "write_date")
        )
        placeholder = "(" + ", ".join(["%s"] * (len(LineRow._fields) + 2)) + ", %s, %s)"
        now = fields.Datetime.now()
        for index in range(0, len(rows), 5000):
            chunk = rows[index : index + 5000]
            params = [value for row in chunk for value in (*row, uid, uid, now, now)]
            self.env.cr.execute(
                f"INSERT INTO sales_commission_statement_line ({columns}) VALUES "
                + ", ".join([placeholder] * len(chunk)),
                params,
            )

    def _write_totals(self, totals):
        if not totals:
            return
        names = TotalsRow._fields[1:]
        columns = SQL(", ").join(SQL.identifier(c) for c in names)
        sets = SQL(", ").join(SQL("%s = v.%s", SQL.identifier(c), SQL.identifier(c)) for c in names)
        values = SQL(", ").join(
            SQL("(%s)", SQL(", ").join(SQL("%s::numeric", v) for v in row)) for row in totals
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE sales_commission_statement s
                   SET %(sets)s, computed_at = now() at time zone 'UTC'
                  FROM (VALUES %(values)s) AS v(id, %(columns)s)
                 WHERE s.id = v.id
                """,
                sets=sets,
                values=values,
                columns=columns,
            )
        )

    # ------------------------------------------------------------------
    # Earned to date
    # ------------------------------------------------------------------
    @api.model
    def _earned_to_date(self, user=None, today=None):
        """Draft statements of the current month for a salesperson, computed now.

        A salesperson may only compute their own, their team leader (``_sales_team_leader``)
        and managers anyone's; the computation runs as superuser because it reads documents
        the salesperson may not open (e.g. a colleague's split order).
        """
        user = user or self.env.user
        me = self.env.user
        if not (
            user == me
            or me.has_group("sales_targets.group_targets_manager")
            # the group grants the right, leading the salesperson's team makes them theirs
            or (
                me.has_group("sales_targets.group_targets_team_leader")
                and user._sales_team_leader(self.env.company) == me
            )
        ):
            raise UserError(self.env._("You can only see your own commission."))
        today = today or self.env.company._sales_today()
        start = today.replace(day=1)
        end = start + relativedelta(months=1, days=-1)
        sudo = self.sudo()
        schemes = sudo.env["sales.commission.scheme"].search(
            [("company_id", "in", self.env.companies.ids), ("version_of_id", "=", False)]
        )
        statements = sudo.browse()
        for scheme, users in schemes._assigned_users(start, end).items():
            if user not in users:
                continue
            # a statement covering part of the month (e.g. a quarterly one) is the one to show
            statement = sudo.search(
                [
                    ("scheme_id", "=", scheme.id),
                    ("user_id", "=", user.id),
                    ("date_from", "<=", end),
                    ("date_to", ">=", start),
                ],
                limit=1,
            ) or sudo.create(
                {"scheme_id": scheme.id, "user_id": user.id, "date_from": start, "date_to": end}
            )
            statements |= statement
        statements.filtered(lambda s: s.state == "draft")._compute_statements()
        return statements.with_env(self.env)

    @api.model
    def action_my_earned_to_date(self):
        statements = self._earned_to_date()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_targets.action_sales_commission_statement_mine"
        )
        action["domain"] = [("id", "in", statements.ids)]
        return action
