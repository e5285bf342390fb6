from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.batches import run_batches
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_datetime

# Context value of the complaint's own changes (state, escalation, closing): only Python
# code holds this object, so no client writes them through a plain ``write``.
COMPLAINT_FLOW = object()

FLOW_FIELDS = (
    "name",
    "state",
    "escalated_at",
    "date_closed",
    "source",
    "date_deadline",
    "leader_alerted_at",
    "date_filed",
    "deadline_breached",
    "resolve_hours",
    "return_visit_scheduled",
)
OPEN_STATES = ("new", "in_progress")
# What the flow fields hold on a new complaint: a create may carry these, nothing else
FLOW_DEFAULTS = {"name": "/", "state": "new", "source": "staff"}
# Written by the mail and portal mixins on any complaint, closed ones included
TECHNICAL_FIELDS = frozenset(
    {"access_token", "message_main_attachment_id", "message_follower_ids", "activity_ids"}
)
# The service level of each severity: the company's field holding its hours
SLA_FIELDS = {
    "critical": "complaint_sla_critical_hours",
    "high": "complaint_sla_high_hours",
    "normal": "complaint_sla_normal_hours",
    "low": "complaint_sla_low_hours",
}
DESK_GROUP = "sales_assistant.group_assistant_desk"
# Who handles a complaint: the sales desk assigns it, nobody takes their own case
ASSIGNMENT_FIELDS = ("owner_id", "user_id", "team_id", "company_id")
# what a filed complaint is about: moved to another customer only by the desk (the customer
# reads their complaints on the portal)
DOCUMENT_FIELDS = ("partner_id", "order_id", "picking_id")
ESCALATION_BATCH = 200
# a lower rank is a later deadline: lowering it is not the salesperson's call
SEVERITY_RANK = {"low": 0, "normal": 1, "high": 2, "critical": 3}


class SalesComplaint(models.Model):
    """A customer complaint (客诉): filed by staff on an order, a delivery or a customer, or
    by the customer on the portal's order page; owned by the sales desk; due by the service
    level of its severity; closed with a resolution, the action taken and the customer's
    satisfaction."""

    _name = "sales.complaint"
    _description = "Customer Complaint"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index=True
    )
    subject = fields.Char(required=True, tracking=True)
    description = fields.Html()
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    order_id = fields.Many2one("sale.order", index=True, check_company=True, tracking=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", check_company=True)
    product_id = fields.Many2one("product.product", index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        help="The salesperson of the order, else of the customer.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    owner_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        help="Who handles the complaint: by default the sales desk of the order's team.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    category = fields.Selection(
        [
            ("quality", "Quality"),
            ("delivery", "Delivery"),
            ("service", "Service"),
            ("billing", "Billing"),
            ("other", "Other"),
        ],
        required=True,
        default="quality",
        tracking=True,
    )
    severity = fields.Selection(
        [("low", "Low"), ("normal", "Normal"), ("high", "High"), ("critical", "Critical")],
        required=True,
        default="normal",
        tracking=True,
        index=True,
    )
    source = fields.Selection(
        [("staff", "Staff"), ("portal", "Customer Portal")],
        required=True,
        default="staff",
        readonly=True,
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("in_progress", "In Progress"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="new",
        readonly=True,
        tracking=True,
        index=True,
    )
    date_deadline = fields.Datetime(
        string="Deadline",
        index=True,
        tracking=True,
        compute="_compute_date_deadline",
        store=True,
        readonly=True,
        help="Filed on plus the service level of the severity (Settings); recomputed when "
        "the severity of an open complaint changes.",
    )
    date_filed = fields.Datetime(
        string="Filed On",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=fields.Datetime.now,
    )
    escalated_at = fields.Datetime(readonly=True, copy=False)
    leader_alerted_at = fields.Datetime(
        string="Leader Alerted On",
        readonly=True,
        copy=False,
        help="When the team leader was alerted of this critical complaint.",
    )
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    cancel_reason = fields.Text(string="Cancellation Reason", readonly=True, copy=False)
    resolve_hours = fields.Float(
        string="Hours to Resolve",
        compute="_compute_resolve_hours",
        store=True,
        aggregator="avg",
        help="From filing to closing.",
    )
    deadline_breached = fields.Boolean(
        compute="_compute_deadline_breached",
        store=True,
        index=True,
        help="Closed after its deadline, or open past it (the escalation cron keeps open "
        "complaints up to date).",
    )
    resolution = fields.Text(tracking=True)
    action_taken = fields.Selection(
        [
            ("replacement", "Replacement"),
            ("credit_note", "Credit Note"),
            ("visit", "Visit"),
            ("repair", "Repair"),
            ("explanation", "Explanation"),
            ("other", "Other"),
        ],
        tracking=True,
    )
    satisfaction = fields.Selection(
        [
            ("1", "Very Dissatisfied"),
            ("2", "Dissatisfied"),
            ("3", "Neutral"),
            ("4", "Satisfied"),
            ("5", "Very Satisfied"),
        ],
        string="Customer Satisfaction",
        tracking=True,
    )

    # ------------------------------------------------------------------
    # Computations
    # ------------------------------------------------------------------
    @api.depends("severity", "company_id", "date_filed")
    def _compute_date_deadline(self):
        now = fields.Datetime.now()
        for complaint in self:
            if complaint.date_deadline and complaint.state not in OPEN_STATES:
                continue  # a closed complaint keeps the deadline it was judged by
            hours = complaint.company_id[SLA_FIELDS[complaint.severity or "normal"]]
            complaint.date_deadline = (complaint.date_filed or now) + timedelta(hours=hours)

    @api.depends("date_closed", "date_filed")
    def _compute_resolve_hours(self):
        for complaint in self:
            if complaint.date_closed and complaint.date_filed:
                delta = complaint.date_closed - complaint.date_filed
                complaint.resolve_hours = round(delta.total_seconds() / 3600.0, 2)
            else:
                complaint.resolve_hours = 0.0

    @api.depends("date_deadline", "date_closed", "state")
    def _compute_deadline_breached(self):
        now = fields.Datetime.now()
        for complaint in self:
            deadline = complaint.date_deadline
            if not deadline or complaint.state == "cancelled":
                complaint.deadline_breached = False
            elif complaint.state == "closed":
                complaint.deadline_breached = bool(
                    complaint.date_closed and complaint.date_closed > deadline
                )
            else:
                complaint.deadline_breached = now > deadline

    # ------------------------------------------------------------------
    # Filing: what the order, the delivery or the customer tell
    # ------------------------------------------------------------------
    @api.model
    def _complaint_defaults(self, vals):
        """The values ``vals`` misses that its order (or delivery) and customer give: the
        customer, the salesperson (the order's, else the customer's), the team, the company,
        the product (the only one of the order), the owner (the sales desk of the team, else
        the company's). Read as the filing user: a document they cannot read is refused."""
        found = {}
        picking = self.env["stock.picking"].browse(vals.get("picking_id") or [])
        order = self.env["sale.order"].browse(vals.get("order_id") or [])
        if picking and not order:
            order = picking.sale_id
            if order:
                found["order_id"] = order.id
        partner = self.env["res.partner"].browse(vals.get("partner_id") or [])
        if not partner:
            partner = order.partner_id or picking.partner_id.commercial_partner_id
            if partner:
                found["partner_id"] = partner.id
        company = self.env["res.company"].browse(
            vals.get("company_id") or order.company_id.id or picking.company_id.id or []
        )
        if not vals.get("company_id") and company:
            found["company_id"] = company.id
        company = company or self.env.company
        user = self.env["res.users"].browse(vals.get("user_id") or [])
        if "user_id" not in vals:
            user = order.user_id or partner.commercial_partner_id.user_id
            if user:
                found["user_id"] = user.id
        team = self.env["crm.team"].browse(vals.get("team_id") or [])
        if "team_id" not in vals:
            team = order.team_id or (user._sales_team(company) if user else team)
            if team:
                found["team_id"] = team.id
        if "product_id" not in vals:
            products = (
                order.order_line.filtered(lambda line: not line.display_type).product_id
            ) or (picking.move_ids.product_id)
            if len(products) == 1:
                found["product_id"] = products.id
        if "owner_id" not in vals:
            owner = team.sudo().complaint_owner_id or company.sudo().complaint_owner_id
            if owner:
                found["owner_id"] = owner.id
        return found

    @api.onchange("order_id", "picking_id")
    def _onchange_documents(self):
        vals = {
            "order_id": self.order_id.id,
            "picking_id": self.picking_id.id,
            "partner_id": self.partner_id.id,
        }
        if self.order_id or self.picking_id:
            vals["partner_id"] = False
            for key, value in self._complaint_defaults(vals).items():
                self[key] = value

    def _check_documents(self, vals):
        """The order and the delivery of the complaint as it will be after ``vals`` belong
        to its company and customer (checked before anything is written)."""
        for complaint in self or [self.browse()]:
            after = {
                name: vals[name] if name in vals else complaint[name].id
                for name in ("order_id", "picking_id", "partner_id", "company_id")
            }
            order = self.env["sale.order"].sudo().browse(after["order_id"] or [])
            picking = self.env["stock.picking"].sudo().browse(after["picking_id"] or [])
            company = self.env["res.company"].browse(after["company_id"] or self.env.company.id)
            for document in (order, picking):
                if document and document.company_id != company:
                    raise ValidationError(
                        self.env._(
                            "%(document)s belongs to the company %(company)s: a complaint on it "
                            "is filed in that company.",
                            document=document.display_name,
                            company=document.company_id.name,
                        )
                    )
            customer = self.env["res.partner"].sudo().browse(after["partner_id"] or [])
            customer = customer.commercial_partner_id
            if order and order.partner_id.commercial_partner_id != customer:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s is not an order of %(customer)s.",
                        order=order.name,
                        customer=customer.display_name,
                    )
                )
            if picking and order and picking.sale_id != order:
                raise ValidationError(
                    self.env._(
                        "Delivery %(picking)s is not a delivery of order %(order)s.",
                        picking=picking.name,
                        order=order.name,
                    )
                )

    @api.model
    def _complaint_sequence(self, company):
        """The numbering of ``company``'s complaints (KS2026-0001): its own sequence, made from
        the shared one on its first complaint."""
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [("code", "=", "sales.complaint"), ("company_id", "=", company.id)], limit=1
        )
        if not sequence:
            template = self.env.ref("sales_assistant.seq_sales_complaint").sudo()
            sequence = template.copy(
                {
                    "name": f"{template.name} ({company.name})",
                    "company_id": company.id,
                    "code": "sales.complaint",
                    "number_next": 1,
                }
            )
        return sequence

    # ------------------------------------------------------------------
    # CRUD: the flow fields are written by the flow alone
    # ------------------------------------------------------------------
    def _is_flow(self):
        return self.env.context.get("sales_complaint_flow") is COMPLAINT_FLOW

    def _flow_write(self, vals):
        """Writes flow fields (state, escalation, closing) as the complaint's own flow."""
        return self.with_context(sales_complaint_flow=COMPLAINT_FLOW).write(vals)

    def _refuse_flow_fields(self, names):
        raise UserError(
            self.env._(
                "The number, state, source, deadline, escalation and closing of a complaint "
                "follow its flow: use the buttons of the complaint (%s).",
                ", ".join(sorted(names)),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        flow = self._is_flow()
        if not flow:
            # the context's defaults are values of the create as much as ``vals``
            context = self.env.context
            forged = [
                name
                for name in FLOW_FIELDS
                if context.get(f"default_{name}")
                and context[f"default_{name}"] != FLOW_DEFAULTS.get(name)
            ]
            if forged:
                self._refuse_flow_fields(forged)
        for vals in vals_list:
            if not flow:
                forged = [
                    name
                    for name in FLOW_FIELDS
                    if name in vals and vals[name] and vals[name] != FLOW_DEFAULTS.get(name)
                ]
                if forged:
                    self._refuse_flow_fields(forged)
            for name in ("order_id", "picking_id", "partner_id", "company_id"):
                default = self.env.context.get(f"default_{name}")
                if name not in vals and default:
                    vals[name] = default  # the documents' defaults give the rest
            if not (flow or self.env.su or self.env.user.has_group(DESK_GROUP)):
                # who handles it, from the context as much as from ``vals``: checked alike
                for name in ASSIGNMENT_FIELDS[:3]:
                    default = self.env.context.get(f"default_{name}")
                    if name not in vals and default:
                        vals[name] = default
                self._check_filed_assignment(vals)
            vals.update(self._complaint_defaults(vals))
            self.browse()._check_documents(vals)
        complaints = super().create(vals_list)
        for complaint in complaints.sudo():
            if complaint.name in (False, "/"):
                number = self._complaint_sequence(complaint.company_id).next_by_id()
                complaint.with_context(sales_complaint_flow=COMPLAINT_FLOW).name = number
        complaints.filtered(lambda c: c.owner_id)._subscribe_handlers()
        complaints.filtered(lambda c: c.severity == "critical")._alert_leader()
        return complaints

    def write(self, vals):
        if not self._is_flow():
            forged = set(FLOW_FIELDS) & set(vals)
            if forged:
                self._refuse_flow_fields(forged)
            self._check_assignment(vals)
            self._check_documents_moved(vals)
            self._check_severity(vals)
            if set(vals) - TECHNICAL_FIELDS:
                done = self.filtered(lambda c: c.state not in OPEN_STATES)
                if done:
                    raise UserError(
                        self.env._(
                            "Complaint %s is closed or cancelled: it is no longer edited.",
                            ", ".join(done.mapped("name")),
                        )
                    )
        if {"order_id", "picking_id", "partner_id", "company_id"} & set(vals):
            self._check_documents(vals)
        res = super().write(vals)
        if "owner_id" in vals:
            self.filtered(lambda c: c.owner_id)._subscribe_handlers()
        if vals.get("severity") == "critical":
            self.filtered(lambda c: c.state in OPEN_STATES)._alert_leader()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self and not self.env.su:
            raise UserError(self.env._("A complaint is never deleted: cancel it, with the reason."))

    def _check_assignment(self, vals):
        """Only the sales desk changes who handles a complaint (owner, salesperson, team,
        company): a rep never makes themselves the owner of their own customer's case."""
        changed = [
            name
            for name in ASSIGNMENT_FIELDS
            if name in vals and any(c[name].id != (vals[name] or False) for c in self)
        ]
        if changed and not (self.env.su or self.env.user.has_group(DESK_GROUP)):
            raise AccessError(
                self.env._(
                    "Only the sales desk assigns a complaint (%s).",
                    ", ".join(self._fields[name].string for name in changed),
                )
            )

    def _check_documents_moved(self, vals):
        """Only the sales desk moves a filed complaint to another customer, order or
        delivery: the customer reads their complaints on the portal."""
        changed = [
            name
            for name in DOCUMENT_FIELDS
            if name in vals and any(c[name].id != (vals[name] or False) for c in self)
        ]
        if changed and not (self.env.su or self.env.user.has_group(DESK_GROUP)):
            raise AccessError(
                self.env._(
                    "Only the sales desk moves a complaint to another customer or document (%s).",
                    ", ".join(self._fields[name].string for name in changed),
                )
            )

    def _check_severity(self, vals):
        """Lowering the severity of a complaint (a later deadline, no escalation) is for the
        sales desk, its owner or its team leader, never its salesperson: nobody decides on
        their own case. Raising it is anyone's who may edit the complaint."""
        if "severity" not in vals or self.env.su or self.env.user.has_group(DESK_GROUP):
            return
        rank = SEVERITY_RANK.get(vals["severity"], -1)
        user = self.env.user
        for complaint in self:
            if rank >= SEVERITY_RANK.get(complaint.severity, 0):
                continue
            if user == complaint.user_id or user not in complaint.owner_id | complaint._leader():
                raise AccessError(
                    self.env._(
                        "Only the sales desk, the owner or the team leader lowers the severity "
                        "of complaint %s; its salesperson never does.",
                        complaint.name,
                    )
                )

    @api.model
    def _check_filed_assignment(self, vals):
        """A rep files a complaint with the owner, salesperson and team its documents give
        (what the form proposes), never others of their choosing."""
        documents = {k: v for k, v in vals.items() if k not in ASSIGNMENT_FIELDS[:3]}
        given = self._complaint_defaults(documents)
        forced = [
            name
            for name in ASSIGNMENT_FIELDS[:3]
            if vals.get(name) and vals[name] != given.get(name)
        ]
        if forced:
            raise AccessError(
                self.env._(
                    "Only the sales desk assigns a complaint (%s).",
                    ", ".join(self._fields[name].string for name in forced),
                )
            )

    def _subscribe_handlers(self):
        for complaint in self:
            partners = (complaint.owner_id | complaint.user_id).partner_id
            complaint.sudo().message_subscribe(partner_ids=partners.ids)

    @api.model
    def _complaint_counts(self, field, records):
        """``{record: complaints on it}`` for the smart buttons of ``records`` (by ``field``),
        as far as the user reads complaints."""
        if not self.has_access("read"):
            return {}
        return dict(self._read_group([(field, "in", records.ids)], [field], ["__count"]))

    @api.model
    def _complaints_action(self, domain, context):
        """The complaints of a document (its smart button)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_assistant.action_sales_complaint"
        )
        action.update({"domain": domain, "context": context})
        return action

    @api.model
    def _new_complaint_action(self, context):
        """A new complaint on a document ("New Complaint")."""
        self.check_access("create")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Complaint"),
            "res_model": "sales.complaint",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }

    # ------------------------------------------------------------------
    # Who may act
    # ------------------------------------------------------------------
    def _leader(self):
        self.ensure_one()
        leader = self.team_id.sudo().user_id
        if not leader and self.user_id:
            leader = self.user_id._sales_team_leader(self.company_id)
        return self.env["res.users"].browse(leader.id)

    def _check_may_handle(self, salesperson=False):
        """The owner or the sales desk handles a complaint (its salesperson and team leader
        too when ``salesperson``); nobody else."""
        user = self.env.user
        if self.env.su or user.has_group(DESK_GROUP):
            return
        for complaint in self:
            allowed = complaint.owner_id
            if salesperson:
                allowed |= complaint.user_id | complaint._leader()
            if user not in allowed:
                raise AccessError(
                    self.env._(
                        "Only the owner of complaint %(name)s or the sales desk can do this.",
                        name=complaint.name,
                    )
                )

    def _check_open(self):
        done = self.filtered(lambda c: c.state not in OPEN_STATES)
        if done:
            raise UserError(
                self.env._(
                    "Complaint %s is already closed or cancelled.",
                    ", ".join(done.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # The flow
    # ------------------------------------------------------------------
    def action_start(self):
        """New → in progress, by its owner, the desk or its salesperson."""
        self.check_access("write")
        self._check_may_handle(salesperson=True)
        self._check_open()
        self.filtered(lambda c: c.state == "new")._flow_write({"state": "in_progress"})
        return True

    def action_open_close(self):
        """The close wizard: resolution, action taken, satisfaction."""
        self.ensure_one()
        self.check_access("write")
        self._check_may_handle()
        self._check_not_own_case()
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close Complaint"),
            "res_model": "sales.complaint.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id, "default_mode": "close"},
        }

    def action_open_cancel(self):
        """The same wizard, asking for the reason of the cancellation."""
        self.ensure_one()
        self._check_desk()
        self._check_not_own_case()
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel Complaint"),
            "res_model": "sales.complaint.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id, "default_mode": "cancel"},
        }

    def _check_not_own_case(self):
        """Nobody closes or cancels a complaint against themselves: its salesperson does not,
        even as its owner or a member of the sales desk."""
        if self.env.su:
            return
        own = self.filtered(lambda c: c.user_id == self.env.user)
        if own:
            raise AccessError(
                self.env._(
                    "You are the salesperson of complaint %s: another member of the sales desk "
                    "closes or cancels it.",
                    ", ".join(own.mapped("name")),
                )
            )

    def _check_desk(self):
        if not (self.env.su or self.env.user.has_group(DESK_GROUP)):
            raise AccessError(self.env._("Only the sales desk cancels a complaint."))

    def _close(self, resolution, action_taken, satisfaction):
        """Close these open complaints with ``resolution`` (required), ``action_taken`` and
        the customer's ``satisfaction``; then ``_complaint_closed()`` once."""
        self.check_access("write")
        self._check_may_handle()
        self._check_not_own_case()
        self._check_open()
        if not (resolution or "").strip():
            raise ValidationError(
                self.env._("A complaint is closed with its resolution: write what was done.")
            )
        actions = dict(self._fields["action_taken"].selection)
        if action_taken and action_taken not in actions:
            raise ValidationError(self.env._("Unknown action taken: %s", action_taken))
        if satisfaction and satisfaction not in dict(self._fields["satisfaction"].selection):
            raise ValidationError(self.env._("Unknown satisfaction: %s", satisfaction))
        self._flow_write(
            {
                "state": "closed",
                "date_closed": fields.Datetime.now(),
                "resolution": resolution.strip(),
                "action_taken": action_taken or False,
                "satisfaction": satisfaction or False,
            }
        )
        subtype = "sales_assistant.mt_complaint_closed"
        for complaint in self:
            complaint.message_post(
                body=self.env._("Complaint closed: %s", complaint.resolution),
                subtype_xmlid=subtype,
            )
        # what follows the closing writes on the closed complaints as their flow
        self.with_context(sales_complaint_flow=COMPLAINT_FLOW)._complaint_closed()
        return True

    def action_cancel(self, reason):
        """Cancel these open complaints (the sales desk, with the reason)."""
        self.check_access("write")
        self._check_desk()
        self._check_not_own_case()
        self._check_open()
        if not (reason or "").strip():
            raise ValidationError(self.env._("Give the reason of the cancellation."))
        self._flow_write({"state": "cancelled", "cancel_reason": reason.strip()})
        for complaint in self:
            complaint.message_post(
                body=self.env._("Complaint cancelled: %s", reason.strip()),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _complaint_closed(self):
        """What follows the closing of these complaints (a return visit, a survey): other
        files extend it; called once per closing, after the complaints are closed, in the
        flow (a write on these closed complaints is the flow's)."""
        return True

    # ------------------------------------------------------------------
    # Alerts and escalation
    # ------------------------------------------------------------------
    def _notify_leader(self, summary, note, marker):
        """An activity and a notification for the team leader of each complaint (its owner
        when its team has none); ``marker`` (a flow field) is written first, once."""
        now = fields.Datetime.now()
        todo = self.env.ref("sales_assistant.mail_activity_type_complaint_escalation")
        model_id = self.env["ir.model"]._get_id(self._name)
        activities = []
        for complaint in self.sudo():
            complaint._flow_write({marker: now})
            leader = complaint._leader() or complaint.owner_id
            if not leader:
                continue
            text = complaint.with_context(lang=leader.lang)
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": complaint.id,
                    "activity_type_id": todo.id,
                    "user_id": leader.id,
                    "summary": summary(text, complaint),
                    "date_deadline": complaint.company_id._sales_today(),
                }
            )
            complaint.message_post(
                body=note(text, complaint),
                partner_ids=leader.partner_id.ids,
                subtype_xmlid="sales_assistant.mt_complaint_escalated",
            )
        self.env["mail.activity"].sudo().create(activities)

    def _alert_leader(self):
        """A critical complaint alerts its team leader at once, once."""
        todo = self.filtered(lambda c: not c.leader_alerted_at)
        todo._notify_leader(
            lambda c, rec: c.env._("Critical complaint: %s", rec.subject),
            lambda c, rec: c.env._(
                "Critical complaint %(name)s from %(customer)s: %(subject)s",
                name=rec.name,
                customer=rec.partner_id.display_name,
                subject=rec.subject,
            ),
            "leader_alerted_at",
        )

    @api.model
    def _cron_escalate_complaints(self):
        """Cron (hourly): one batch of overdue complaints escalated; the runner commits it
        and, while some remain, runs again at once."""
        done, remaining = self._escalate_batch()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _escalate_overdue(self, batch_size=ESCALATION_BATCH):
        """Escalate every overdue complaint in the current transaction (tests, scripts)."""
        return run_batches(self._escalate_batch, batch_size)

    @api.model
    def _escalate_batch(self, batch_size=ESCALATION_BATCH):
        """Open complaints past their deadline and not escalated yet: each escalates to its
        team leader once. Their rows are locked (``SKIP LOCKED``: another worker takes
        others), marked breached and ``escalated_at`` is written before anything is sent.
        Returns (done, remaining: more than 0 while some remain)."""
        self.env.flush_all()
        now = fields.Datetime.now()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT id FROM sales_complaint
                 WHERE state IN %s AND date_deadline < %s AND escalated_at IS NULL
                 ORDER BY date_deadline, id
                 LIMIT %s
                   FOR UPDATE SKIP LOCKED
                """,
                OPEN_STATES,
                now,
                batch_size + 1,
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        batch = self.sudo().browse(ids[:batch_size])
        # a breach of an open complaint follows the clock: recomputed on the locked rows
        self.env.add_to_compute(self._fields["deadline_breached"], batch)
        batch.flush_recordset(["deadline_breached"])
        batch._notify_leader(
            lambda c, rec: c.env._("Overdue complaint: %s", rec.subject),
            lambda c, rec: c.env._(
                "Complaint %(name)s is past its deadline (%(deadline)s): escalated to the "
                "team leader.",
                name=rec.name,
                deadline=format_datetime(
                    c.env, rec.date_deadline, tz=rec.company_id._sales_tz(), dt_format="short"
                ),
            ),
            "escalated_at",
        )
        return len(batch), max(len(ids) - batch_size, 0)
