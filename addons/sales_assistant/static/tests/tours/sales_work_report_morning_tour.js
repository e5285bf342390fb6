/** @odoo-module **/

import { registry } from "@web/core/registry";

// The morning meeting (晨会): a team leader opens My day and finds yesterday's team reports
// first: a rep who did not report, a highlight and a problem raised; they open the report.
registry.category("web_tour.tours").add("sales_work_report_morning_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Sales app",
            trigger: ".o_app[data-menu-xmlid='sale.sale_menu_root']",
            run: "click",
        },
        {
            content: "Open the Follow-up menu",
            trigger: ".o_main_navbar button:contains('Follow-up')",
            run: "click",
        },
        {
            content: "Open My Day",
            trigger: ".dropdown-item:contains('My Day')",
            run: "click",
        },
        {
            content: "Yesterday's team reports name the rep who did not report",
            trigger: ".o_my_day_section_team_reports:contains('Not reported: Tour Rep Zhao')",
        },
        {
            content: "The highlight of a report is shown",
            trigger:
                ".o_my_day_section_team_reports .o_my_day_entry:contains('Tour Rep Wang'):contains('Signed the Suzhou order')",
        },
        {
            content: "The problem raised is shown",
            trigger:
                ".o_my_day_section_team_reports .o_my_day_entry:contains('Need a discount approval')",
        },
        {
            content: "Open the report of the rep",
            trigger: ".o_my_day_section_team_reports .o_my_day_entry:contains('Tour Rep Wang')",
            run: "click",
        },
        {
            content: "The report opens",
            trigger: ".o_form_view .o_breadcrumb:contains('Tour Rep Wang')",
        },
    ],
});
