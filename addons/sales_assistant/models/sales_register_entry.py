from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.defaults import without_readonly_defaults


class SalesRegisterEntry(models.Model):
    """One line of the call and visitor registers (来电/来访登记): an inbound call or a
    visitor, logged in a few seconds by the sales desk or a rep: who called or came, for
    whom, about what, and the outcome. An entry is linked to a customer or a lead, can
    create a new lead (through the suite's duplicate check) and can be forwarded to the
    person it was for as an activity. The day's report counts the entries of its rep."""

    _name = "sales.register.entry"
    _description = "Call and Visitor Register"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["contact_name", "contact_company", "subject", "partner_id"]

    name = fields.Char(compute="_compute_name", store=True)
    kind = fields.Selection(
        [("call", "Inbound Call"), ("visit", "Visitor")],
        required=True,
        default="call",
        index=True,
        tracking=True,
    )
    date = fields.Datetime(
        string="When", required=True, default=fields.Datetime.now, index=True, tracking=True
    )
    contact_name = fields.Char(string="Who", tracking=True, help="Who called or came.")
    contact_phone = fields.Char(string="Phone")
    contact_company = fields.Char(string="Their Company")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, check_company=True, tracking=True
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Lead/Opportunity",
        index=True,
        check_company=True,
        tracking=True,
        copy=False,
    )
    user_id = fields.Many2one(
        "res.users",
        string="For",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        help="Whom the call or visit was for: by default the customer's salesperson.",
    )
    subject = fields.Char(string="About", tracking=True, help="What the call or visit was about.")
    outcome = fields.Selection(
        [
            ("answered", "Answered"),
            ("message", "Message Taken"),
            ("appointment", "Appointment Made"),
            ("forwarded", "Forwarded"),
            ("other", "Other"),
        ],
        required=True,
        default="answered",
        tracking=True,
    )
    outcome_note = fields.Text(string="Note")
    logged_by_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        precompute=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.depends("contact_name", "contact_company", "partner_id", "subject")
    def _compute_name(self):
        for entry in self:
            who = entry.contact_name or entry.contact_company or entry.partner_id.name
            entry.name = " · ".join(filter(None, [who, entry.subject]))

    @api.depends("partner_id", "lead_id")
    def _compute_user_id(self):
        for entry in self:
            salesperson = entry.lead_id.user_id or entry.partner_id.commercial_partner_id.user_id
            entry.user_id = salesperson or entry.user_id

    @api.depends("user_id", "lead_id", "company_id")
    def _compute_team_id(self):
        for entry in self:
            team = entry.lead_id.team_id
            if entry.user_id:
                team = entry.user_id._sales_team(entry.company_id)
            entry.team_id = team

    # ------------------------------------------------------------------
    # What an entry must say
    # ------------------------------------------------------------------
    @api.constrains("contact_name", "partner_id", "lead_id", "subject")
    def _check_who_and_why(self):
        for entry in self:
            if not ((entry.contact_name or "").strip() or entry.partner_id or entry.lead_id):
                raise ValidationError(
                    self.env._("Say who called or came: a name, a customer or a lead.")
                )
            if not (entry.subject or "").strip():
                raise ValidationError(self.env._("Say what the call or visit was about."))

    @api.constrains("user_id", "company_id")
    def _check_user_company(self):
        for entry in self.sudo():
            if entry.user_id.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not an employee: a call or visit is for someone of the "
                        "company.",
                        user=entry.user_id.name,
                    )
                )
            if entry.user_id and entry.company_id not in entry.user_id.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work for %(company)s: a call or visit is logged "
                        "for someone of the company it was received in.",
                        user=entry.user_id.name,
                        company=entry.company_id.name,
                    )
                )

    def _check_team_not_given(self, vals):
        """The team follows whom the entry is for (or its lead): a client does not file an
        entry under a team of its choice, whose leader would read it and its own would not."""
        if "team_id" in vals and not self.env.su:
            raise UserError(
                self.env._("An entry's team follows whom it is for and its lead; it is not chosen.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self = without_readonly_defaults(self)
        for vals in vals_list:
            self._check_team_not_given(vals)
            if vals.get("logged_by_id", self.env.uid) != self.env.uid:
                raise UserError(self._logged_by_refusal())
            vals["logged_by_id"] = self.env.uid
        entries = super().create(vals_list)
        entries._check_leads_readable()
        return entries

    def write(self, vals):
        self._check_team_not_given(vals)
        if "logged_by_id" in vals and any(e.logged_by_id.id != vals["logged_by_id"] for e in self):
            raise UserError(self._logged_by_refusal())
        if (
            vals.get("company_id")
            and not self.env.su
            and vals["company_id"] not in self.env.user.company_ids.ids
        ):
            raise UserError(self.env._("You cannot move an entry to a company you do not work in."))
        res = super().write(vals)
        if vals.get("lead_id"):
            self._check_leads_readable()
        return res

    def _check_leads_readable(self):
        """An entry names only a lead its author may read: the lead's salesperson and team,
        and the activity a forward puts on it, follow from it."""
        if not self.env.su:
            self.lead_id.check_access("read")

    def _logged_by_refusal(self):
        return self.env._("An entry is logged by whoever logs it: its author cannot be changed.")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def action_register_log(self):
        """The compact form of a new call or visit, in a dialog (My day's button)."""
        return self._register_log_action({})

    @api.model
    def _register_log_action(self, context):
        """The compact form of a new entry in a dialog, with ``context``'s defaults."""
        self.check_access("create")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_assistant.action_register_entry_log"
        )
        action["context"] = dict(context)
        return action

    def action_create_lead(self):
        """Creates a lead from the entry (who, phone, company, for whom, about what) as
        the current user, so that it goes through the duplicate check (撞单) exactly as a
        lead created by hand, and links it to the entry."""
        self.ensure_one()
        self.check_access("write")
        if self.lead_id:
            raise UserError(
                self.env._(
                    "This entry already has its lead, %(lead)s.", lead=self.lead_id.display_name
                )
            )
        lead = self.env["crm.lead"].create(self._lead_values())
        self.write({"lead_id": lead.id})
        self.message_post(
            body=self.env._("Lead created: %(lead)s", lead=lead._get_html_link()),
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def _lead_values(self):
        self.ensure_one()
        return {
            "name": self.subject,
            "contact_name": self.contact_name,
            "phone": self.contact_phone,
            "partner_name": self.contact_company,
            "partner_id": self.partner_id.id,
            # for nobody in particular: the lead is of whoever creates it, as by hand
            "user_id": self.user_id.id or self.env.uid,
            "team_id": self.team_id.id if self.user_id else False,
            "company_id": self.company_id.id,
            "description": self.outcome_note,
        }

    def action_forward(self):
        """Forwards the call or visit to whom it was for: a To Do activity with the subject
        and the caller, on the lead, else the customer, else the entry itself; the outcome
        becomes "Forwarded"."""
        self.check_access("write")
        # the activity goes on with sudo: only on a lead and a customer the user reads now
        # (a lead reassigned since the entry was logged is no longer theirs to write on)
        self._check_leads_readable()
        if not self.env.su:
            self.partner_id.check_access("read")
        for entry in self:
            if not entry.user_id:
                raise UserError(
                    self.env._(
                        "Say whom “%(entry)s” is for before forwarding it.", entry=entry.name
                    )
                )
        todo = self.env.ref("mail.mail_activity_data_todo")
        for entry in self:
            target = entry.lead_id or entry.partner_id or entry
            # the entry's rights were checked above: the activity goes on the record the
            # entry names, whose salesperson may be someone else
            target.sudo().activity_schedule(
                activity_type_id=todo.id,
                summary=entry._forward_summary(),
                note=entry._forward_note(),
                user_id=entry.user_id.id,
                date_deadline=entry.company_id._sales_today(),
            )
        self.write({"outcome": "forwarded"})
        for entry in self:
            entry.message_post(
                body=self.env._("Forwarded to %(user)s.", user=entry.user_id.name),
            )
        return True

    def _forward_summary(self):
        self.ensure_one()
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        return f"{kinds[self.kind]}: {self.subject}"

    def _forward_note(self):
        self.ensure_one()
        who = ", ".join(
            filter(
                None,
                [
                    self.contact_name or self.partner_id.name,
                    self.contact_company,
                    self.contact_phone,
                ],
            )
        )
        lines = [escape(who), escape(self.outcome_note or "")]
        return Markup("<br/>").join(line for line in lines if line)
