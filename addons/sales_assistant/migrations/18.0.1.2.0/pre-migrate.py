"""``sale.order.confirm.guide`` (and its ``.check`` and ``.line``) become
``sales.confirm.guide`` (issue #18: the suite's models take the suite's ``sales.`` prefix,
not a place in Odoo's own ``sale.order.*`` namespace).

Renamed before the registry loads the new code, so that Odoo finds the tables, models,
fields, selection values, access lines, record rules and the form view under the new names
and updates them in place, instead of creating new ones and deleting the old.
"""

import logging

from odoo.addons.sales_compliance.tools.migration import rename_model, rename_xmlids

_logger = logging.getLogger(__name__)

# (old model, new model): the screen and its two kinds of lines
MODELS = [
    ("sale.order.confirm.guide", "sales.confirm.guide"),
    ("sale.order.confirm.guide.check", "sales.confirm.guide.check"),
    ("sale.order.confirm.guide.line", "sales.confirm.guide.line"),
]
# (old xmlid prefix, new xmlid prefix) of sales_assistant records named after the model
XMLID_PREFIXES = [
    ("model_sale_order_confirm_guide", "model_sales_confirm_guide"),
    ("field_sale_order_confirm_guide", "field_sales_confirm_guide"),
    ("selection__sale_order_confirm_guide", "selection__sales_confirm_guide"),
    ("access_sale_order_confirm_guide", "access_sales_confirm_guide"),
    ("view_sale_order_confirm_guide_form", "view_sales_confirm_guide_form"),
]


def migrate(cr, version):
    if not version:
        return
    # the lines first: a table named after the screen is a prefix of theirs
    for old_model, new_model in reversed(MODELS):
        rename_model(cr, old_model, new_model)
    rename_xmlids(cr, "sales_assistant", XMLID_PREFIXES)
    _logger.info("sales_assistant: sale.order.confirm.guide renamed to sales.confirm.guide")
