"""Defaults a client may not send in its context: the helper lives in sales_compliance
(its rules and dry-runs use it too)."""

from odoo.addons.sales_compliance.tools.defaults import without_readonly_defaults

__all__ = ["without_readonly_defaults"]
