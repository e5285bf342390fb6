/** @odoo-module **/

import { registry } from "@web/core/registry";

// A rep opens "My day" from the Sales menu, finds their late work in it and opens it:
// an overdue call on an opportunity behind on visits, then an overdue installment.
registry.category("web_tour.tours").add("sales_assistant_my_day", {
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
            content: "The overdue call is in today's activities",
            trigger:
                ".o_my_day_section_activities .o_my_day_entry:contains('Tour valve retrofit') .text-danger",
        },
        {
            content: "The opportunity is behind on visits",
            trigger: ".o_my_day_section_visits_behind .o_my_day_entry:contains('2 of 3 visits missing')",
        },
        {
            content: "Open the opportunity from the overdue activity",
            trigger: ".o_my_day_section_activities .o_my_day_entry:contains('Tour valve retrofit')",
            run: "click",
        },
        {
            content: "The opportunity's form opens, with its missing visits",
            trigger: ".o_form_view .o_field_widget[name='visit_missing_count']:contains('2')",
        },
        {
            content: "Back to My Day",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        {
            content: "Open the overdue installment",
            trigger:
                ".o_my_day_section_installments .o_my_day_entry:contains('Tour Collection Customer') .text-danger",
            run: "click",
        },
        {
            content: "The installment's form opens, overdue",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Overdue')",
        },
        {
            content: "Back to My Day",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        {
            content: "See all opportunities behind on visits",
            trigger: ".o_my_day_section_visits_behind .o_my_day_see_all",
            run: "click",
        },
        {
            content: "The full list shows the opportunity",
            trigger: ".o_list_view .o_data_row:contains('Tour valve retrofit')",
        },
    ],
});
