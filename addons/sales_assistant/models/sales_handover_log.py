import heapq
import itertools
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.sales_compliance.models.sales_compliance_mixin import COMPLIANCE_SKIP
from odoo.addons.sales_compliance.tools.registry import MethodRegistry, accepts
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

MANAGER_GROUP = "sales_team.group_sale_manager"

# What a hand-over moves, in the order it moves it: the customers first (their
# ownership), then the documents that follow them. Another kind is added with a
# ``selection_add`` on ``sales.handover.log.line.kind`` and one method
# ``_handover_collect_<kind>(user, company)`` on ``sales.handover.log`` (see
# ``_handover_collect_opportunity``, and ``COLLECTORS`` for what it returns);
# ``_handover_move_<kind>`` is optional.
HANDOVER_KINDS = [
    ("customer", "Customer"),
    ("opportunity", "Opportunity"),
    ("quotation", "Quotation"),
    ("order", "Order not fully paid"),
    ("activity", "Activity"),
]


def _collected_problem(collected, user, company, *args):
    """What is wrong with what a collector returned, or None: the records ``user`` holds,
    a recordset of stored records read as superuser (``_handover_collect``)."""
    if not isinstance(collected, models.BaseModel):
        return f"must return a recordset, not {type(collected).__name__}"
    if not collected.env.su:
        return "must return its records as superuser (sudo): a hand-over moves all the rep holds"
    if not all(isinstance(record_id, int) for record_id in collected._ids):
        return "must return stored records, not new ones"
    return None


# The collectors of the hand-over kinds, found by their name
COLLECTORS = MethodRegistry(
    "_handover_collect_",
    check=lambda log, name, function: accepts(function, "user", "company"),
    result=_collected_problem,
)

DISTRIBUTIONS = [
    ("single", "One successor"),
    ("round_robin", "Several successors, in turn"),
    ("team", "Several successors, by sales team"),
    ("load", "Several successors, by current load"),
    ("pool", "Back to the public pool"),
]


class SalesHandoverLog(models.Model):
    """One hand-over run (商机移交 / 离职交接): who ran it, whose records, to whom, and
    every record it moves (its lines). The run moves its lines in batches that are
    committed as they go (by the cron), so that a rep holding thousands of records is
    handed over without a time-out and an interrupted run resumes where it stopped."""

    _name = "sales.handover.log"
    _description = "Sales Hand-over"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    from_user_id = fields.Many2one(
        "res.users", string="Handed Over By", required=True, readonly=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Run By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        readonly=True,
        index=True,
        help="The team of the salesperson handed over, when the run was made.",
    )
    distribution = fields.Selection(DISTRIBUTIONS, required=True, readonly=True)
    successor_ids = fields.Many2many("res.users", string="Successors", readonly=True)
    notify_customers = fields.Boolean(string="Email the Customers", readonly=True)
    joint_visit_probability = fields.Float(string="Joint Visit From (%)", readonly=True)
    note = fields.Text(readonly=True)
    state = fields.Selection(
        [("running", "Running"), ("failed", "Interrupted"), ("done", "Done")],
        default="running",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    error = fields.Text(readonly=True)
    date_start = fields.Datetime(default=fields.Datetime.now, readonly=True)
    date_done = fields.Datetime(readonly=True)
    line_ids = fields.One2many(
        "sales.handover.log.line", "log_id", string="Records Handed Over", readonly=True
    )
    line_count = fields.Integer(string="Records", compute="_compute_counts")
    done_count = fields.Integer(string="Moved", compute="_compute_counts")
    customer_count = fields.Integer(string="Customers", compute="_compute_counts")
    opportunity_count = fields.Integer(string="Opportunities", compute="_compute_counts")
    quotation_count = fields.Integer(string="Quotations", compute="_compute_counts")
    order_count = fields.Integer(string="Orders", compute="_compute_counts")
    activity_count = fields.Integer(string="Activities", compute="_compute_counts")
    progress = fields.Float(compute="_compute_counts")

    @api.depends("from_user_id")
    def _compute_name(self):
        for log in self:
            log.name = self.env._("Hand-over of %s", log.from_user_id.name or "")

    @api.depends("line_ids.state")
    def _compute_counts(self):
        groups = self.env["sales.handover.log.line"]._read_group(
            [("log_id", "in", self.ids)], ["log_id", "kind", "state"], ["__count"]
        )
        counts = defaultdict(lambda: defaultdict(int))
        for log, kind, state, count in groups:
            counts[log.id][kind] += count
            counts[log.id]["__all"] += count
            if state != "pending":
                counts[log.id]["__done"] += count
        for log in self:
            stats = counts[log.id]
            log.line_count = stats["__all"]
            log.done_count = stats["__done"]
            log.customer_count = stats["customer"]
            log.opportunity_count = stats["opportunity"]
            log.quotation_count = stats["quotation"]
            log.order_count = stats["order"]
            log.activity_count = stats["activity"]
            log.progress = 100.0 * stats["__done"] / stats["__all"] if stats["__all"] else 100.0

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    @api.model
    def _check_handover_rights(self, from_user=None, company=None):
        """Only sales managers hand records over, and only a salesperson all of whose
        companies they manage, in one of their companies; checked in every public entry
        point, not only by the access rights of the wizard (any method is callable over
        RPC)."""
        if self.env.su:
            return
        user = self.env.user
        if not user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only sales managers hand customers and deals over."))
        if company and company not in user.company_ids:
            raise AccessError(self.env._("You cannot hand over in a company that is not yours."))
        if from_user:
            foreign = from_user.sudo().company_ids - user.company_ids
            if foreign:
                raise AccessError(
                    self.env._(
                        "%(user)s also works for %(companies)s, which you do not manage: only "
                        "a manager of all their companies hands them over.",
                        user=from_user.sudo().name,
                        companies=", ".join(foreign.mapped("name")),
                    )
                )

    # ------------------------------------------------------------------
    # What a salesperson holds
    # ------------------------------------------------------------------
    @api.model
    def _handover_kinds(self):
        """The kinds of records a hand-over moves, in the order it moves them."""
        return [
            kind for kind, _label in self.env["sales.handover.log.line"]._fields["kind"].selection
        ]

    @api.model
    def _handover_collect(self, user, company):
        """{kind: records} that ``user`` holds in ``company``, read as superuser: the
        manager hands over what the rep holds, whatever the manager's own filters. The
        activities come last: they are those on what the other kinds collect, or on what
        hangs on it (``_handover_dependents``)."""
        records = {}
        for kind in self._handover_kinds():
            if kind != "activity":
                records[kind] = COLLECTORS.call(self, kind, user, company)
        records["activity"] = COLLECTORS.call(self, "activity", user, company, records)
        return records

    @api.model
    def _handover_collect_customer(self, user, company):
        Partner = self.env["res.partner"].sudo()
        return Partner.search(
            expression.AND(
                [
                    Partner._compliance_held_domain(user),
                    [("company_id", "in", [False, company.id])],
                ]
            ),
            order="id",
        )

    @api.model
    def _handover_held(self, model, user, domain):
        """The records of ``model`` that ``user`` holds (``user_id``) and ``domain``
        selects, in id order, whatever the caller may read."""
        return self.env[model].sudo().search([("user_id", "=", user.id), *domain], order="id")

    @api.model
    def _handover_collect_opportunity(self, user, company):
        return self._handover_held(
            "crm.lead",
            user,
            [
                ("company_id", "in", [False, company.id]),
                ("type", "=", "opportunity"),
                ("stage_id.is_won", "=", False),
            ],
        )

    @api.model
    def _handover_collect_quotation(self, user, company):
        return self._handover_held(
            "sale.order",
            user,
            [("company_id", "=", company.id), ("state", "in", ("draft", "sent"))],
        )

    @api.model
    def _handover_collect_order(self, user, company):
        """Confirmed orders not yet fully paid: not all invoiced, or an invoice open."""
        return self._handover_held(
            "sale.order",
            user,
            [
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                "|",
                ("invoice_status", "!=", "invoiced"),
                (
                    "invoice_ids",
                    "any",
                    [
                        ("move_type", "=", "out_invoice"),
                        ("state", "=", "posted"),
                        ("payment_state", "not in", ("paid", "in_payment", "reversed")),
                    ],
                ),
            ],
        )

    @api.model
    def _handover_collect_activity(self, user, company, records=None):
        """Open activities of ``user`` on customers, opportunities and orders of
        ``company`` (or of no company), and on every record the other kinds collect or
        that hangs on them (collection plans, installments, promises, late deliveries,
        receipts...)."""
        if records is None:
            records = {
                kind: COLLECTORS.call(self, kind, user, company)
                for kind in self._handover_kinds()
                if kind != "activity"
            }
        documents = defaultdict(set)
        for recordset in [*records.values(), *self._handover_dependents(records)]:
            documents[recordset._name].update(recordset.ids)
        domain = [("res_model", "in", ("res.partner", "crm.lead", "sale.order"))]
        for model, ids in documents.items():
            domain = expression.OR(
                [domain, [("res_model", "=", model), ("res_id", "in", list(ids))]]
            )
        activities = self._handover_held("mail.activity", user, domain)
        # only what the hand-over's company holds: the document of no company or of it
        outside = set()
        for model, of_model in activities.grouped("res_model").items():
            targets = self.env[model].sudo().browse(of_model.mapped("res_id")).exists()
            if "company_id" in targets._fields:
                outside.update(
                    (model, target.id)
                    for target in targets
                    if target.company_id and target.company_id != company
                )
        return activities.filtered(lambda a: (a.res_model, a.res_id) not in outside)

    @api.model
    def _handover_dependents(self, records):
        """The records that hang on what a hand-over moves ({kind: records}), whose
        activities go to the successor with them: the collection plans, installments and
        promises, late deliveries and customer receipts of the orders. Another addon adds
        its own (contracts, complaints...) by extending this list."""
        orders = self.env["sale.order"].sudo()
        for recordset in records.values():
            if recordset._name == "sale.order":
                orders |= recordset
        plans = orders.collection_plan_ids
        return [
            plans,
            plans.installment_ids,
            plans.promise_ids,
            orders.late_delivery_ids,
            orders.customer_receipt_ids,
        ]

    @api.model
    def _handover_key(self, kind, record):
        """The customer a record goes with: its successor is the customer's, so that a
        customer keeps one contact for all its deals."""
        if kind == "customer":
            return record.id
        partner = record.partner_id.commercial_partner_id if "partner_id" in record else False
        return partner.id if partner else (record._name, record.id)

    @api.model
    def _handover_team(self, kind, record):
        if "team_id" in record._fields and record.team_id:
            return record.team_id
        return self.env["crm.team"]

    # ------------------------------------------------------------------
    # Plan: who gets what
    # ------------------------------------------------------------------
    @api.model
    def _handover_plan(self, from_user, company, distribution, successors, joint_visit_probability):
        """Which successor gets each record: a list of line values (not created).

        Each customer goes with everything of it (opportunities, orders, activities):
        the groups are spread over the successors by turn, by team or by load. Back to
        the pool: the customers are released, the opportunities left unassigned for
        Odoo's lead assignment, and the orders and activities (they need someone) go
        to the team leader of the salesperson (or the manager running the hand-over).
        """
        records = self._handover_collect(from_user, company)
        # an activity goes with its document's customer: the documents of each model
        # are read at once
        documents = {
            (model, document.id): document
            for model, activities in records.get("activity", self.env["mail.activity"])
            .grouped("res_model")
            .items()
            for document in self.env[model].sudo().browse(activities.mapped("res_id")).exists()
        }
        groups = {}  # key -> list of (kind, record)
        for kind in self._handover_kinds():
            for record in records[kind]:
                if kind == "activity":
                    document = documents.get((record.res_model, record.res_id))
                    if not document:
                        continue
                    key = (
                        document.commercial_partner_id.id
                        if record.res_model == "res.partner"
                        else self._handover_key("document", document)
                    )
                else:
                    key = self._handover_key(kind, record)
                groups.setdefault(key, []).append((kind, record))
        if distribution == "pool":
            keeper = from_user._sales_team_leader(company)
            if not keeper or keeper == from_user or not keeper.active:
                keeper = self.env.user
            assignment = dict.fromkeys(groups, None)
        else:
            assignment = self._handover_assign(groups, distribution, successors, company)
        vals_list = []
        sequence = {kind: index for index, kind in enumerate(self._handover_kinds())}
        for key, items in groups.items():
            for kind, record in items:
                successor = assignment[key]
                if successor is None:  # the pool
                    successor = (
                        self.env["res.users"] if kind in ("customer", "opportunity") else keeper
                    )
                joint = (
                    kind == "opportunity"
                    and bool(successor)
                    and joint_visit_probability > 0
                    and record.probability >= joint_visit_probability
                )
                vals_list.append(
                    {
                        "kind": kind,
                        "sequence": sequence[kind],
                        "res_model": record._name,
                        "res_id": record.id,
                        "successor_id": successor.id,
                        "joint_visit": joint,
                    }
                )
        return vals_list

    @api.model
    def _handover_assign(self, groups, distribution, successors, company):
        """{group key: successor} for the groups of records of one hand-over."""
        keys = sorted(groups, key=str)
        if distribution == "single" or len(successors) == 1:
            return dict.fromkeys(keys, successors[:1])
        if distribution == "round_robin":
            turn = itertools.cycle(successors)
            return {key: next(turn) for key in keys}
        if distribution == "team":
            # the successors of the team of the customer's documents, in turn; in turn
            # over all of them when none is of that team
            by_team = defaultdict(list)
            for successor in successors:
                by_team[successor._sales_team(company).id].append(successor)
            turns = {team: itertools.cycle(users) for team, users in by_team.items()}
            everyone = itertools.cycle(successors)
            result = {}
            for key in keys:
                teams = [self._handover_team(kind, record) for kind, record in groups[key]]
                team = next((t.id for t in teams if t and t.id in turns), None)
                result[key] = next(turns[team]) if team else next(everyone)
            return result
        # by load: the biggest groups first, each to the least loaded successor
        load = self._handover_current_load(successors, company)
        heap = [(load[user.id], index, user.id) for index, user in enumerate(successors)]
        heapq.heapify(heap)
        result = {}
        for key in sorted(keys, key=lambda k: -len(groups[k])):
            current, index, user_id = heapq.heappop(heap)
            result[key] = successors.browse(user_id)
            heapq.heappush(heap, (current + len(groups[key]), index, user_id))
        return result

    @api.model
    def _handover_current_load(self, users, company):
        """{user id: customers owned + open opportunities}, in two grouped queries."""
        load = dict.fromkeys(users.ids, 0)
        load.update(self.env["res.partner"]._compliance_customers_held(users))
        leads = (
            self.env["crm.lead"]
            .sudo()
            ._read_group(
                [
                    ("user_id", "in", users.ids),
                    ("company_id", "in", [False, company.id]),
                    ("type", "=", "opportunity"),
                    ("stage_id.is_won", "=", False),
                ],
                ["user_id"],
                ["__count"],
            )
        )
        for user, count in leads:
            load[user.id] += count
        return load

    # ------------------------------------------------------------------
    # Run
    # ------------------------------------------------------------------
    @api.model
    def _handover_start(self, values, line_vals_list):
        """Create the run and its lines; move the first batch at once (a small
        hand-over is done when the manager sees the log) and leave the rest to the cron."""
        from_user = self.env["res.users"].browse(values["from_user_id"])
        self._check_handover_rights(
            from_user, self.env["res.company"].browse(values.get("company_id"))
        )
        values["team_id"] = from_user._sales_team(self.env.company).id
        log = self.sudo().create(values)
        self.env["sales.handover.log.line"].sudo().create(
            [dict(vals, log_id=log.id) for vals in line_vals_list]
        )
        log._handover_process_batch()
        if log.state == "running":
            self.env.ref("sales_assistant.ir_cron_sales_handover")._trigger()
        return log.sudo(False)

    @api.model
    def _handover_batch_size(self):
        value = (
            self.env["ir.config_parameter"].sudo().get_param("sales_assistant.handover_batch_size")
        )
        try:
            return max(int(value), 1) if value else 1000
        except ValueError:
            return 1000

    def _handover_process_batch(self, limit=None):
        """Move the next batch of pending lines of this run; return how many moved.

        Idempotent: a line is moved once, and a record that changed hands since the
        preview (claimed, reassigned) is skipped, not taken from its new holder."""
        self.ensure_one()
        log = self.sudo()
        Line = self.env["sales.handover.log.line"].sudo()
        lines = Line.search(
            [("log_id", "=", log.id), ("state", "=", "pending")],
            order="sequence, id",
            limit=limit or self._handover_batch_size(),
        )
        if not lines:
            log._handover_finish()
            return 0
        by_target = defaultdict(list)
        for line in lines:
            by_target[(line.kind, line.successor_id)].append(line.id)
        done = Line
        for (kind, successor), line_ids in by_target.items():
            kind_lines = Line.browse(line_ids)
            records = self.env[kind_lines[0].res_model].sudo().browse(kind_lines.mapped("res_id"))
            records = records.exists()
            held = log._handover_still_held(kind, records)
            mover = getattr(log, f"_handover_move_{kind}", log._handover_move_records)
            mover(held, successor, kind_lines)
            moved = kind_lines.filtered(lambda line, ids=set(held.ids): line.res_id in ids)
            moved.write({"state": "done"})
            (kind_lines - moved).write({"state": "skipped"})
            done |= kind_lines
        if not Line.search_count([("log_id", "=", log.id), ("state", "=", "pending")], limit=1):
            log._handover_finish()
        return len(done)

    def _handover_still_held(self, kind, records):
        """The records that the salesperson handed over still holds (a kind whose
        holder is not ``user_id`` overrides this)."""
        return records.filtered(lambda r: r.user_id == self.from_user_id)

    def _handover_finish(self):
        if self.state != "done":
            self.write({"state": "done", "date_done": fields.Datetime.now(), "error": False})

    def _handover_note(self, records, successor):
        """A chatter note on every record moved, in one insert per model."""
        if not records or "message_ids" not in records._fields:
            return
        body = Markup("<p>%s</p>") % self.env._(
            "Handed over from %(old)s to %(new)s by %(manager)s (%(run)s).",
            old=self.from_user_id.name,
            new=successor.name if successor else self.env._("the public pool"),
            manager=self.user_id.name,
            run=self.name,
        )
        records._message_log_batch(
            bodies=dict.fromkeys(records.ids, body), author_id=self.user_id.partner_id.id
        )

    @api.model
    def _handover_context(self):
        # the checks of save rules are about what a rep enters: a hand-over only
        # changes the salesperson (approvals bound to the former one are voided all
        # the same); the chatter note replaces the tracking message of each record
        return {"compliance_skip": COMPLIANCE_SKIP, "mail_notrack": True, "tracking_disable": True}

    def _handover_move_records(self, records, successor, lines):
        """Default move of a document: its salesperson, a note in its chatter."""
        records.with_context(**self._handover_context()).write({"user_id": successor.id})
        self._handover_note(records, successor)

    def _handover_move_customer(self, partners, successor, lines):
        """Through the ownership of sales_compliance: logged in the ownership history
        (reason "assigned" or "released") and a protection period as after a claim, so
        that the customer is not released for the silence of the former owner. The
        claim cap binds salespeople, not a manager's assignment (sales_compliance's
        rule): a successor the hand-over takes over the cap claims nothing more until
        back under it; the preview shows it."""
        if not partners:
            return
        note = self.env._("Hand-over: %s", self.name)
        # the chatter note replaces the tracking message of each customer
        untracked = partners.with_context(mail_notrack=True, tracking_disable=True)
        if not successor:
            untracked._compliance_assign(False, "release", note=note)
        else:
            untracked._compliance_assign(successor, "assign", note=note)
            if self.notify_customers:
                self._handover_email(partners)
        self._handover_note(partners, successor)

    def _handover_email(self, partners):
        template = self.env.ref("sales_assistant.mail_template_handover_customer")
        partners = partners.filtered("email")
        if partners:
            template.sudo().send_mail_batch(partners.ids)

    def _handover_move_opportunity(self, leads, successor, lines):
        self.env["sales.credit.share"]._hand_over(leads, self.from_user_id, successor)
        joint = leads.browse(lines.filtered("joint_visit").mapped("res_id")) & leads
        # Odoo's rule (crm.lead._compute_team_id), once per successor instead of once
        # per lead: a lead stays in its team when the successor is in it, else it goes
        # to the successor's team
        context = self._handover_context()
        members = successor._sales_teams_joined_or_led()
        staying = leads.filtered(lambda lead: not successor or lead.team_id in members)
        if staying:
            staying.with_context(**context).write({"user_id": successor.id})
        if leads - staying:
            team = successor._sales_team(self.company_id)
            (leads - staying).with_context(**context).write(
                {"user_id": successor.id, "team_id": team.id}
            )
        if joint:
            joint.with_context(**self._handover_context()).write(
                {"handover_joint_visit": True, "handover_previous_user_id": self.from_user_id.id}
            )
            self._handover_schedule_joint_visits(joint, successor)
        self._handover_note(leads, successor)

    def _handover_schedule_joint_visits(self, leads, successor):
        """A to-do for the successor on each late-stage opportunity: visit the customer
        together with the former salesperson (离职交接: 客户共同拜访)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("crm.lead")
        deadline = self.env.company._sales_today() + timedelta(days=7)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": lead.id,
                    "activity_type_id": todo.id,
                    "summary": self.env._(
                        "Joint visit with %(old)s: %(customer)s",
                        old=self.from_user_id.name,
                        customer=lead.partner_id.display_name or lead.name,
                    ),
                    "user_id": successor.id,
                    "date_deadline": deadline,
                }
                for lead in leads
            ]
        )

    def _handover_move_quotation(self, orders, successor, lines):
        self.env["sales.credit.share"]._hand_over(orders, self.from_user_id, successor)
        self._handover_move_records(orders, successor, lines)

    def _handover_move_order(self, orders, successor, lines):
        """A confirmed order is followed up by the successor, but its credit (the sale
        is made) stays with whoever earned it: an order without a split gets one for
        its former salesperson before it changes hands."""
        self.env["sales.credit.share"]._keep_with_salesperson(orders)
        self._handover_move_records(orders, successor, lines)

    def _handover_move_activity(self, activities, successor, lines):
        activities.with_context(mail_activity_quick_update=True).write({"user_id": successor.id})

    # ------------------------------------------------------------------
    # Actions and cron
    # ------------------------------------------------------------------
    def action_resume(self):
        """Resume an interrupted run (after fixing what stopped it)."""
        self._check_handover_rights()
        self.check_access("write")  # the runs of the manager's companies only
        for log in self:
            self._check_handover_rights(log.sudo().from_user_id, log.sudo().company_id)
        for log in self:
            if log.state == "done":
                raise UserError(self.env._("%s is already done.", log.name))
        self.sudo().write({"state": "running", "error": False})
        for log in self:
            log._handover_process_batch()
        if any(log.state == "running" for log in self):
            self.env.ref("sales_assistant.ir_cron_sales_handover")._trigger()
        return True

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_assistant.action_sales_handover_log_line"
        )
        action["domain"] = [("log_id", "=", self.id)]
        action["context"] = {"search_default_group_successor": 1}
        return action

    @api.model
    def _cron_handover(self):
        """Cron: move one batch of the oldest running hand-over and report progress, so
        that the cron runner commits it and runs again while records remain. A batch
        that fails stops its run (state "Interrupted", with the error) until a manager
        resumes it; what moved before stays moved."""
        log = self.sudo().search([("state", "=", "running")], order="id", limit=1)
        if not log:
            return
        self.env.cr.execute(
            "SELECT id FROM sales_handover_log WHERE id = %s FOR UPDATE SKIP LOCKED", [log.id]
        )
        if not self.env.cr.fetchone():
            return  # another worker moves it
        try:
            with self.env.cr.savepoint():
                done = log._handover_process_batch()
        except (UserError, ValidationError, AccessError) as exc:
            log.write({"state": "failed", "error": str(exc)})
            log.message_post(body=self.env._("Hand-over interrupted: %s", exc))
            done = 0
        remaining = (
            self.env["sales.handover.log.line"]
            .sudo()
            .search_count([("log_id.state", "=", "running"), ("state", "=", "pending")])
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The hand-over log cannot be deleted."))


class SalesHandoverLogLine(models.Model):
    """One record of a hand-over: what it was, to whom it goes, whether it moved."""

    _name = "sales.handover.log.line"
    _description = "Sales Hand-over Record"
    _order = "sequence, id"

    log_id = fields.Many2one(
        "sales.handover.log", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="log_id.company_id", store=True)
    from_user_id = fields.Many2one(related="log_id.from_user_id", store=True)
    team_id = fields.Many2one(related="log_id.team_id", store=True)
    kind = fields.Selection(HANDOVER_KINDS, required=True, readonly=True, index=True)
    sequence = fields.Integer(readonly=True)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    record_ref = fields.Reference(
        [
            ("res.partner", "Customer"),
            ("crm.lead", "Opportunity"),
            ("sale.order", "Sales Order"),
            ("mail.activity", "Activity"),
        ],
        string="Record",
        compute="_compute_record_ref",
    )
    successor_id = fields.Many2one(
        "res.users", readonly=True, index=True, help="Empty: the public pool."
    )
    joint_visit = fields.Boolean(readonly=True)
    state = fields.Selection(
        [("pending", "To move"), ("done", "Moved"), ("skipped", "Skipped (changed meanwhile)")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )

    @api.depends("res_model", "res_id")
    def _compute_record_ref(self):
        for line in self:
            line.record_ref = (
                f"{line.res_model},{line.res_id}"
                if line.res_model in dict(self._fields["record_ref"].selection)
                else False
            )
