/** @odoo-module **/

import { registry } from "@web/core/registry";

// A rep opens today's report (prepared by the cron with the day's facts), writes what the
// market said and tomorrow's plan, and submits it.
registry.category("web_tour.tours").add("sales_work_report_tour", {
    url: "/odoo/action-sales_assistant.action_sales_work_report_mine",
    steps: () => [
        {
            content: "Open today's report",
            trigger: ".o_data_row:contains('Tour Report Rep') td[name=date_from]",
            run: "click",
        },
        {
            content: "The day's facts are there",
            trigger: ".o_form_view div[name=fact_order_count]:contains('Orders Confirmed')",
        },
        {
            content: "What the market said",
            trigger: ".o_field_widget[name=market_feedback] textarea",
            run: "edit Buyers wait for the steel price to settle",
        },
        {
            content: "Tomorrow's plan",
            trigger: ".o_field_widget[name=plan_next] textarea",
            run: "edit Visit Suzhou Precision with the new quotation",
        },
        {
            content: "Submit",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            content: "The report is submitted",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Submitted')",
        },
    ],
});

// The leader opens the team's reports, opens the rep's and comments (点评).
registry.category("web_tour.tours").add("sales_work_report_review_tour", {
    url: "/odoo/action-sales_assistant.action_sales_work_report_team",
    steps: () => [
        {
            content: "Open the rep's report",
            trigger: ".o_data_row:contains('Tour Report Rep') td[name=date_from]",
            run: "click",
        },
        {
            content: "Read it and review",
            trigger: ".o_form_view button[name=action_open_review]",
            run: "click",
        },
        {
            content: "Comment",
            trigger: ".modal .o_field_widget[name=comment] textarea",
            run: "edit Good, bring the quotation to their purchasing manager",
        },
        {
            content: "Mark as reviewed",
            trigger: ".modal button[name=action_review]",
            run: "click",
        },
        {
            content: "The report is reviewed, the comment shows",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Reviewed')",
        },
        {
            trigger: "div[name=review]:contains('purchasing manager')",
        },
    ],
});
