from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.registry import MethodRegistry, accepts
from odoo.exceptions import AccessError
from odoo.tools import SQL, date_utils, format_date, formatLang

SECTION_PREFIX = "_my_day_section_"
SECTION_LIMIT = 5  # records shown per section; the section's action opens the full list
# What a section returns (see ``SalesAssistantDay._my_day_section``): key -> expected types
SECTION_SHAPE = {
    "title": str,
    "sequence": int,
    "icon": str,
    "count": int,
    "note": (str, type(None), bool),
    "records": list,
    "action": dict,
}
# What an entry of a section's records holds (see ``SalesAssistantDay._my_day_entry``)
ENTRY_KEYS = ("model", "id", "name", "detail", "user", "date", "late")
AUDIT_FIELDS = ("create_uid", "write_uid")  # no section names them


def _section_problem(section, users, today):
    """What is wrong with a section, or None: ``None`` or a dict of ``SECTION_SHAPE``."""
    if section is None:
        return None
    if not isinstance(section, dict):
        return f"must return a section (a dict) or None, not {type(section).__name__}"
    missing = sorted(set(SECTION_SHAPE) - set(section))
    if missing:
        return f"must return a section with {', '.join(missing)}"
    for key, kind in SECTION_SHAPE.items():
        if not isinstance(section[key], kind) or (kind is int and isinstance(section[key], bool)):
            names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else [kind]))
            return f"must give its {key} as {names}, not {section[key]!r}"
    for entry in section["records"]:
        if not isinstance(entry, dict) or not set(ENTRY_KEYS) <= set(entry):
            return f"must give its records as dicts of {', '.join(ENTRY_KEYS)} (_my_day_entry)"
    return None


class MyDayBatch:
    """The searches of My day for many people at once (the morning digest).

    A first pass of the sections records each person's searches as queries built with their
    rights (``_search`` as the person), without running them; ``run`` answers them all in one
    query per model and loads the records found; a second pass of the sections builds the same
    sections from those answers. A client cannot send this object: only the digest makes one
    (the context holds it, checked with ``type(...) is MyDayBatch``).
    """

    def __init__(self):
        self.searches = {}  # key -> (model, query, limit)
        self.answers = None  # key -> (ids, count), once run

    @staticmethod
    def key(model, domain, order, limit):
        context = model.env.context
        return (model.env.uid, model._name, context.get("active_test", True), repr(domain),
                order, limit, context.get("lang"), context.get("tz"))  # fmt: skip

    def search(self, model, domain, order, limit):
        """``(records, count)``: nothing in the first pass, the answer in the second (or a
        search of its own when the first pass did not ask it)."""
        key = self.key(model, domain, order, limit)
        if self.answers is None:
            if key not in self.searches:
                self.searches[key] = (model, model._search(domain, order=order), limit)
            return model.browse(), 0
        if key not in self.answers:
            return None
        ids, count = self.answers[key]
        return model.browse(ids), count

    def run(self, env):
        """One query per model for every person's searches, then the records found (and
        the names of what they point to) loaded as Odoo shows a many2one: the person reads
        only records their own search found."""
        env.flush_all()
        self.answers = {key: ([], 0) for key in self.searches}
        by_model = defaultdict(list)
        for key, (model, query, limit) in self.searches.items():
            if not query.is_empty():
                by_model[model._name].append((key, query, limit))
        found = defaultdict(set)  # (model, lang, tz) -> ids
        for name, searches in by_model.items():
            parts = [
                SQL(
                    "(SELECT %s AS k, s.id, s.n, s.total FROM (%s) s WHERE s.n <= %s)",
                    index,
                    query.select(
                        SQL("%s AS id", SQL.identifier(query.table, "id")),
                        SQL(
                            "ROW_NUMBER() OVER (ORDER BY %s) AS n",
                            query.order or SQL.identifier(query.table, "id"),
                        ),
                        SQL("COUNT(*) OVER () AS total"),
                    ),
                    max(limit, 1) if limit is not None else 2**31 - 1,
                )
                for index, (_key, query, limit) in enumerate(searches)
            ]
            rows = env.execute_query(
                SQL("SELECT k, id, total FROM (%s) u ORDER BY k, n", SQL(" UNION ALL ").join(parts))
            )
            for index, record_id, total in rows:
                key, _query, limit = searches[index]
                ids, _count = self.answers[key]
                if limit != 0:
                    ids.append(record_id)
                    found[name, key[6], key[7]].add(record_id)
                self.answers[key] = (ids, total)
        for (name, lang, tz), ids in found.items():
            records = env[name].sudo().with_context(lang=lang, tz=tz).browse(sorted(ids))
            stored = [name for name, field in records._fields.items() if field.store]
            records.fetch([name for name in stored if records._fields[name].prefetch is True])
            for name in stored:
                if records._fields[name].type == "many2one" and name not in AUDIT_FIELDS:
                    records[name].mapped("display_name")


# The sections of My day, found by their name
SECTIONS = MethodRegistry(
    SECTION_PREFIX,
    check=lambda day, name, function: accepts(function, "users", "today"),
    result=_section_problem,
)


class SalesAssistantDay(models.AbstractModel):
    """ "My day": what a salesperson, or a team leader for their whole team, has to do today.

    The screen (client action ``sales_assistant.my_day``) and the morning digest show the same
    data, gathered here from sections. A section is a method ``_my_day_section_<name>(users,
    today)`` that returns a small dict (see ``_my_day_section``, ``SECTION_SHAPE``), or ``None``
    when it does not apply to the user. Other parts of the addon add a section by adding one
    such method: no registry to edit, no screen to change (``SECTIONS`` finds it and checks
    what it returns).

    Everything is read as the user, with their rights and record rules: a team leader sees
    their team's records only as far as Odoo lets them read them.
    """

    _name = "sales.assistant.day"
    _description = "Sales Assistant: My Day"

    @api.model
    @api.readonly
    def get_my_day(self):
        """The "My day" data of the current user; the only public entry point.

        It takes no user: whatever the client sends, it is the day of the user who asks.
        """
        user = self.env.user
        if not user.has_group("sales_assistant.group_assistant_user"):
            raise AccessError(self.env._("Only salespeople have a day to show."))
        # the activity types and stages the sections name: a few rows, read in one query
        # each instead of once per section (the digest's batch loads them with the records)
        lang = self.with_context(lang=user.lang)
        lang.env["mail.activity.type"].search_fetch([], ["name"])
        lang.env["crm.stage"].search_fetch([], ["name"])
        return self._my_day_data(user)

    @api.model
    def _my_day_data(self, user, lang=None, users=None):
        """The sections of ``user``'s day, read as ``user`` in their language (or ``lang``:
        a group robot's) and timezone; over ``users`` (by default the user and their teams'
        members; a team's robot gets its team's)."""
        day = self.with_user(user).with_context(tz=user._sales_person_tz(), lang=lang or user.lang)
        today = day.env.user._sales_person_today()  # what the person sees: their own day
        if users is None:
            users = user._sales_self_and_team_members()
        sections = []
        for name in day._my_day_names():
            section = SECTIONS.call(day, name, users, today)
            if section is not None:
                sections.append(dict(section, name=name))
        sections.sort(key=lambda section: (section["sequence"], section["name"]))
        return {
            "user": user.name,
            "today": fields.Date.to_string(today),
            "today_label": format_date(day.env, today, date_format="full"),
            "team_size": len(users) - 1,
            "count": sum(section["count"] for section in sections),
            "sections": sections,
        }

    @api.model
    def _my_day_data_many(self, users):
        """``{user id: _my_day_data(user)}`` for many people, each read as themselves, in
        queries that do not grow with the people (``MyDayBatch``)."""
        batch = MyDayBatch()
        # each one's env.user and env.company, and the companies their rules read: for all
        users.mapped("company_id")
        users.mapped("company_ids")
        teams = users._sales_self_and_team_members_by_user()
        day = self.with_context(sales_my_day_batch=batch)
        for user in users:
            day._my_day_data(user, users=teams[user])
        batch.run(self.env)
        return {user.id: day._my_day_data(user, users=teams[user]) for user in users}

    @api.model
    def _my_day_search(self, model, domain, order=None, limit=None):
        """``(records, count)``: the first ``limit`` records of ``model`` matching ``domain``
        and how many match; the one search of the sections (a digest batches them)."""
        batch = self.env.context.get("sales_my_day_batch")
        if type(batch) is MyDayBatch:
            answer = batch.search(model, domain, order, limit)
            if answer is not None:
                return answer
        found = model.search(domain, order=order)
        return (found if limit is None else found[:limit]), len(found)

    @api.model
    def _my_day_names(self):
        return SECTIONS.keys(self)

    # ------------------------------------------------------------------
    # Building blocks
    # ------------------------------------------------------------------
    @api.model
    def _my_day_section(
        self, title, model, domain, entry, sequence, icon, order=None, note=None, context=None
    ):
        """One section: ``title``, ``count``, the first ``SECTION_LIMIT`` ``records`` (dicts
        from ``entry(record)``: ``model``, ``id`` to open, ``name``, ``detail``, ``date``,
        ``late``), and ``action`` to open the full list of ``model`` filtered by ``domain``."""
        # one search for the count and the first records: a count apart would check the
        # access to the documents of activities a second time
        found, count = self._my_day_search(self.env[model], domain, order, SECTION_LIMIT)
        records = found.with_prefetch()
        return {
            "title": title,
            "sequence": sequence,
            "icon": icon,
            "count": count,
            "note": note,
            "records": [entry(record) for record in records],
            "action": {
                "type": "ir.actions.act_window",
                "name": title,
                "res_model": model,
                "domain": domain,
                "views": [(False, "list"), (False, "form")],
                "context": context or {},
            },
        }

    @api.model
    def _my_day_entry(self, record, model, res_id, name, detail, day, today, user=None):
        return {
            "model": model,
            "id": res_id,
            "name": name or record.display_name,
            "detail": detail,
            "user": user.name if user and user != self.env.user else False,
            "date": format_date(self.env, day) if day else False,
            "late": bool(day and day < today),
        }

    @api.model
    def _my_day_activity_entry(self, today):
        def entry(activity):
            detail = " · ".join(filter(None, [activity.activity_type_id.name, activity.summary]))
            return self._my_day_entry(
                activity,
                activity.res_model,
                activity.res_id,
                activity.res_name,
                detail,
                activity.date_deadline,
                today,
                activity.user_id,
            )

        return entry

    # ------------------------------------------------------------------
    # Sections
    # ------------------------------------------------------------------
    @api.model
    def _my_day_section_activities(self, users, today):
        """Activities due today or overdue, visits and return visits aside (they have their
        own sections)."""
        Activity = self.env["mail.activity"]
        own_sections = Activity._sales_visit_type() | Activity._sales_return_visit_type()
        return self._my_day_section(
            self.env._("Activities for Today and Overdue"),
            "mail.activity",
            [
                ("user_id", "in", users.ids),
                ("date_deadline", "<=", fields.Date.to_string(today)),
                ("activity_type_id", "not in", own_sections.ids),
            ],
            self._my_day_activity_entry(today),
            sequence=10,
            icon="fa-clock-o",
            order="date_deadline, id",
        )

    @api.model
    def _my_day_section_visits(self, users, today):
        """Visits planned for today or overdue, with the visits done this month: the number
        the visits metric of ``sales_targets`` counts for the month."""
        Activity = self.env["mail.activity"]
        month_start = date_utils.start_of(today, "month")
        done = self._my_day_search(
            Activity.with_context(active_test=False),
            [
                *Activity._sales_visit_domain(done=True),
                ("user_id", "in", users.ids),
                ("date_done", ">=", month_start),
                ("date_done", "<=", today),
            ],
            limit=0,
        )[1]
        return self._my_day_section(
            self.env._("Visits Due"),
            "mail.activity",
            [
                *Activity._sales_visit_domain(done=False),
                ("user_id", "in", users.ids),
                ("date_deadline", "<=", fields.Date.to_string(today)),
            ],
            self._my_day_activity_entry(today),
            sequence=20,
            icon="fa-car",
            order="date_deadline, id",
            note=self.env._("%s visits done this month", done),
        ) | {"done_this_month": done}

    @api.model
    def _my_day_section_visits_behind(self, users, today):
        """Open opportunities with fewer visits over the last week than their stage expects."""

        def entry(lead):
            return self._my_day_entry(
                lead,
                lead._name,
                lead.id,
                lead.name,
                self.env._(
                    "%(missing)s of %(expected)s visits missing (%(stage)s)",
                    missing=lead.visit_missing_count,
                    expected=lead.visit_frequency,
                    stage=lead.stage_id.name,
                ),
                False,
                today,
                lead.user_id,
            )

        return self._my_day_section(
            self.env._("Opportunities Behind on Visits"),
            "crm.lead",
            [("user_id", "in", users.ids), ("visit_missing_count", ">", 0)],
            entry,
            sequence=30,
            icon="fa-exclamation-triangle",
            order="priority desc, id",
            context={"search_default_visits_behind": 1},
        )

    @api.model
    def _my_day_closing_section(self, title, users, today, date_domain, sequence, icon):
        """Open opportunities whose expected close falls in ``date_domain``."""

        def entry(lead):
            return self._my_day_entry(
                lead,
                lead._name,
                lead.id,
                lead.name,
                " · ".join(filter(None, [lead.partner_id.display_name, lead.stage_id.name])),
                lead.date_deadline,
                today,
                lead.user_id,
            )

        return self._my_day_section(
            title,
            "crm.lead",
            [
                ("user_id", "in", users.ids),
                ("type", "=", "opportunity"),
                ("stage_id.is_won", "=", False),
                *date_domain,
            ],
            entry,
            sequence=sequence,
            icon=icon,
            order="date_deadline, id",
        )

    @api.model
    def _my_day_section_closing(self, users, today):
        """Open opportunities expected to close from today to the end of this week."""
        week_end = today + timedelta(days=6 - today.weekday())
        return self._my_day_closing_section(
            self.env._("Opportunities to Close This Week"),
            users,
            today,
            [
                ("date_deadline", ">=", fields.Date.to_string(today)),
                ("date_deadline", "<=", fields.Date.to_string(week_end)),
            ],
            sequence=40,
            icon="fa-handshake-o",
        )

    @api.model
    def _my_day_section_closing_passed(self, users, today):
        """Open opportunities whose expected close has already passed: to close or
        re-date, not due this week."""
        return self._my_day_closing_section(
            self.env._("Expected Close Already Passed"),
            users,
            today,
            [("date_deadline", "<", fields.Date.to_string(today))],
            sequence=41,
            icon="fa-calendar-times-o",
        )

    @api.model
    def _my_day_section_approvals(self, users, today):
        """Approvals waiting for the user's own decision (not their team's)."""
        Approval = self.env["sales.compliance.approval"]
        if not Approval.has_access("read"):
            return None

        def entry(approval):
            return self._my_day_entry(
                approval,
                approval._name,
                approval.id,
                approval.record_name,
                approval.requested_by_id.name,
                approval.create_date.date(),
                today,
            )

        return self._my_day_section(
            self.env._("Approvals Waiting for You"),
            "sales.compliance.approval",
            [("state", "=", "pending"), ("pending_approver_ids", "in", self.env.user.ids)],
            entry,
            sequence=60,
            icon="fa-check-square-o",
            order="create_date, id",
        )

    @api.model
    def _my_day_section_targets(self, users, today):
        """Progress on the targets running today (``sales_targets``)."""
        Target = self.env["sales.target"]
        if not Target.has_access("read"):
            return None

        def entry(target):
            actual = formatLang(self.env, target.actual, digits=0)
            goal = formatLang(self.env, target.target_value, digits=0)
            return self._my_day_entry(
                target,
                target._name,
                target.id,
                target.name,
                self.env._(
                    "%(pct)s%% achieved: %(actual)s of %(target)s",
                    pct=round(target.achievement_pct),
                    actual=actual,
                    target=goal,
                ),
                False,
                today,
            )

        return self._my_day_section(
            self.env._("Progress on Targets"),
            "sales.target",
            [
                ("user_id", "in", users.ids),
                ("plan_state", "in", ("approved", "locked")),
                ("date_from", "<=", fields.Date.to_string(today)),
                ("date_to", ">=", fields.Date.to_string(today)),
            ],
            entry,
            sequence=70,
            icon="fa-bullseye",
            order="date_to, achievement_pct, id",
        )

    @api.model
    def _my_day_section_installments(self, users, today):
        """Installments of their orders due today or overdue, still to collect (回款)."""
        Installment = self.env["sales.collection.installment"]
        if not Installment.has_access("read"):
            return None

        def entry(installment):
            return self._my_day_entry(
                installment,
                installment._name,
                installment.id,
                installment.display_name,
                " · ".join(
                    [
                        installment.partner_id.display_name or "",
                        installment.currency_id.format(installment.amount_residual),
                    ]
                ),
                installment.date_due,
                today,
                installment.user_id,
            )

        return self._my_day_section(
            self.env._("Installments Due or Overdue"),
            "sales.collection.installment",
            [
                ("user_id", "in", users.ids),
                ("state", "in", ("due", "partial", "overdue")),
                ("date_due", "<=", fields.Date.to_string(today)),
            ],
            entry,
            sequence=25,
            icon="fa-money",
            order="date_due, id",
        )

    @api.model
    def _my_day_section_broken_promises(self, users, today):
        """Promises to pay that the customer broke, on plans still open."""
        Promise = self.env["sales.collection.promise"]
        if not Promise.has_access("read"):
            return None

        def entry(promise):
            return self._my_day_entry(
                promise,
                promise._name,
                promise.id,
                promise.partner_id.display_name,
                " · ".join([promise.promised_by or "", promise.currency_id.format(promise.amount)]),
                promise.date_promised,
                today,
                promise.user_id,
            )

        return self._my_day_section(
            self.env._("Broken Promises to Pay"),
            "sales.collection.promise",
            [
                ("user_id", "in", users.ids),
                ("state", "=", "broken"),
                ("plan_id.state", "=", "open"),
            ],
            entry,
            sequence=27,
            icon="fa-chain-broken",
            order="date_promised desc, id desc",
        )

    @api.model
    def _my_day_section_late_deliveries(self, users, today):
        """Deliveries of their orders past the promised date and not done yet."""
        Late = self.env["sales.late.delivery"]
        if not Late.has_access("read"):
            return None

        def entry(late):
            return self._my_day_entry(
                late,
                late._name,
                late.id,
                late.order_id.sudo().name,  # the leader reads the team's, not the orders
                " · ".join(
                    filter(None, [late.partner_id.display_name, late.reason_id.display_name])
                ),
                self.env.user._sales_person_today(late.due_date),
                today,
                late.user_id,
            )

        return self._my_day_section(
            self.env._("Late Deliveries to Follow Up"),
            "sales.late.delivery",
            [("user_id", "in", users.ids), ("state", "=", "late")],
            entry,
            sequence=23,
            icon="fa-truck",
            order="due_date, id",
        )
