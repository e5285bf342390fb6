/** @odoo-module **/

import { registry } from "@web/core/registry";

function currentState(label) {
    return {
        content: `The complaint is ${label}`,
        trigger: `.o_form_view .o_statusbar_status .o_arrow_button_current:contains('${label}')`,
    };
}

// The sales desk resolves the complaint a customer filed on the portal: it opens it from
// Complaints, starts it, and closes it with the resolution, a replacement and the customer's
// satisfaction.
registry.category("web_tour.tours").add("sales_complaint_resolve_tour", {
    url: "/odoo/action-sales_assistant.action_sales_complaint",
    steps: () => [
        {
            content: "The complaint is in the list, by its deadline",
            trigger: ".o_data_row:contains('Broken seal on delivery') td[name='subject']",
        },
        {
            content: "Switch to the board by state",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "Open the customer's complaint",
            trigger: ".o_kanban_group:contains('New') .o_kanban_record:contains('Broken seal on delivery')",
            run: "click",
        },
        currentState("New"),
        {
            content: "Start handling it",
            trigger: ".o_form_statusbar button[name='action_start']",
            run: "click",
        },
        currentState("In Progress"),
        {
            content: "Close it",
            trigger: ".o_form_statusbar button[name='action_open_close']",
            run: "click",
        },
        {
            content: "Write the resolution",
            trigger: ".modal .o_field_widget[name='resolution'] textarea",
            run: "edit The seal was faulty: a new unit was shipped and installed.",
        },
        {
            content: "The action taken: a replacement",
            trigger: ".modal .o_field_widget[name='action_taken'] select",
            run: 'select "replacement"',
        },
        {
            content: "The customer is satisfied",
            trigger: ".modal .o_field_widget[name='satisfaction'] input[data-value='4']",
            run: "click",
        },
        {
            content: "Close the complaint",
            trigger: ".modal footer button[name='action_confirm']:contains('Close Complaint')",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        currentState("Closed"),
    ],
});
