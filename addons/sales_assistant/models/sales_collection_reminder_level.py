from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesCollectionReminderLevel(models.Model):
    """When to remind a customer of an installment, relative to its due date.

    Each level mails the customer with its template (in the customer's language), may give
    the salesperson an activity and, when ``escalate`` is ticked, one to the team leader and
    to the company's finance contact as well.
    """

    _name = "sales.collection.reminder.level"
    _description = "Collection Reminder Level"
    _order = "days, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    days = fields.Integer(
        string="Days After Due Date",
        required=True,
        help="Negative: days before the due date (-3 reminds three days ahead); 0: on the due "
        "date; positive: days overdue.",
    )
    template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'sales.collection.installment')]",
        ondelete="restrict",
    )
    create_activity = fields.Boolean(string="Activity for the Salesperson", default=True)
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        default=lambda self: self.env.ref("mail.mail_activity_data_todo", False),
    )
    escalate = fields.Boolean(
        help="From this level on, the team leader and finance get an activity as well.",
    )
    company_id = fields.Many2one("res.company", help="Leave empty for every company.")

    _sql_constraints = [
        (
            "days_unique",
            "unique(days, company_id)",
            "Two reminder levels cannot fall on the same day.",
        ),
    ]

    @api.constrains("template_id", "name", "days")
    def _check_template(self):
        for level in self:
            if not level.template_id:
                raise ValidationError(
                    self.env._(
                        "Reminder level %(level)s needs an email template: choose the message "
                        "the customer receives.",
                        level=level.name,
                    )
                )
            if level.template_id.model != "sales.collection.installment":
                raise ValidationError(
                    self.env._("The template of a reminder level must be made for installments.")
                )
