/** @odoo-module **/

import { registry } from "@web/core/registry";

// A rep takes a visitor from My day in a few seconds, finds them in this week's visitor
// register and turns the visit into a lead.
registry.category("web_tour.tours").add("sales_assistant_register", {
    url: "/odoo/action-sales_assistant.action_my_day",
    steps: () => [
        {
            content: "Log a call or visit from My day",
            trigger: ".o_my_day_log_register",
            run: "click",
        },
        {
            content: "It is a visitor",
            trigger: ".modal .o_field_widget[name='kind'] input[data-value='visit']",
            run: "click",
        },
        {
            content: "Who came",
            trigger: ".modal .o_field_widget[name='contact_name'] input",
            run: "edit Ms Li",
        },
        {
            content: "From which company",
            trigger: ".modal .o_field_widget[name='contact_company'] input",
            run: "edit Tour Register Valves",
        },
        {
            content: "About what",
            trigger: ".modal .o_field_widget[name='subject'] input",
            run: "edit Brings a sample of the new valve",
        },
        {
            content: "Save the entry",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog closes, back on My day",
            trigger: "body:not(:has(.modal)) .o_sales_assistant_my_day",
        },
        {
            content: "Open the Follow-up menu",
            trigger: ".o_main_navbar button:contains('Follow-up')",
            run: "click",
        },
        {
            content: "Open the visitor register",
            trigger: ".dropdown-item:contains('Visitor Register')",
            run: "click",
        },
        {
            content: "This week's visitors list Ms Li",
            trigger: ".o_list_view .o_data_row td[name='contact_name']:contains('Ms Li')",
            run: "click",
        },
        {
            content: "Turn the visit into a lead",
            trigger: ".o_form_view button[name='action_create_lead']",
            run: "click",
        },
        {
            content: "The new lead opens, named after the visit",
            trigger: ".o_form_view .o_field_widget[name='name']:contains('Brings a sample'), .o_form_view .o_field_widget[name='name'] textarea",
        },
    ],
});
