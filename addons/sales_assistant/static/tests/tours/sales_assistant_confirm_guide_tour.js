/** @odoo-module **/

import { registry } from "@web/core/registry";

// Guided confirmation: Confirm opens the screen, the rep confirms the available lines and
// the line short of stock moves into a new quotation linked to the order.
registry.category("web_tour.tours").add("sales_assistant_confirm_guide", {
    steps: () => [
        {
            content: "Confirm the quotation",
            trigger: ".o_form_statusbar button[name='action_confirm_guided']",
            run: "click",
        },
        {
            content: "The screen shows the line short of stock",
            trigger: ".modal .o_data_row.text-danger:contains('Gate valve DN200')",
        },
        {
            trigger: ".modal .o_data_row:contains('Ball valve DN50')",
        },
        {
            content: "Confirm the available lines and move the rest",
            trigger: ".modal button[name='action_confirm_available']",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Sales Order')",
        },
        {
            content: "Open the quotation holding the rest",
            trigger: ".oe_stat_button:contains('Split Quotations')",
            run: "click",
        },
        {
            content: "It holds the gate valves and links back to the order",
            trigger: ".o_field_widget[name='order_line'] .o_data_row:contains('Gate valve DN200')",
        },
        {
            trigger: ".oe_stat_button:contains('Split From')",
        },
    ],
});
