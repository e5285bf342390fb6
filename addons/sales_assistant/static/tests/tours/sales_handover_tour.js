/** @odoo-module **/

import { registry } from "@web/core/registry";

function pickUser(field, name) {
    return [
        {
            content: `Choose ${name}`,
            trigger: `.modal .o_field_widget[name=${field}] input`,
            run: `edit ${name}`,
        },
        {
            trigger: `.ui-autocomplete > li > a:contains("${name}")`,
            run: "click",
        },
    ];
}

// A sales manager hands a leaving rep over to two successors: preview first, then run.
registry.category("web_tour.tours").add("sales_handover_two_successors", {
    url: "/odoo/action-sales_assistant.action_sales_handover_log",
    steps: () => [
        {
            content: "Start a hand-over",
            trigger: ".o_control_panel button:contains('Hand Over')",
            run: "click",
        },
        ...pickUser("from_user_id", "Tour Leaving"),
        {
            content: "Split over several successors, in turn",
            trigger: ".modal .o_field_widget[name=distribution] select",
            run: 'select "round_robin"',
        },
        ...pickUser("successor_ids", "Tour Heir One"),
        ...pickUser("successor_ids", "Tour Heir Two"),
        {
            content: "Preview",
            trigger: ".modal button[name=action_preview]",
            run: "click",
        },
        {
            content: "The preview lists each successor, nothing has moved yet",
            trigger: ".modal .o_data_row:contains('Tour Heir One')",
        },
        {
            trigger: ".modal .o_data_row:contains('Tour Heir Two')",
        },
        {
            content: "Hand over",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal:contains('Move these records') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The hand-over is logged and done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});
