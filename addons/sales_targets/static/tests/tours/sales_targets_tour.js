import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_targets_plan_tour", {
    steps: () => [
        {
            content: "Create a new target plan",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name the plan",
            trigger: ".o_field_widget[name='name'] input",
            run: "edit Tour Plan 2031",
        },
        {
            content: "Start of the year",
            trigger: ".o_field_widget[name='date_from'] input",
            run: "edit 01/01/2031",
        },
        {
            content: "End of the year",
            trigger: ".o_field_widget[name='date_to'] input",
            run: "edit 12/31/2031",
        },
        {
            content: "Choose the revenue metric",
            trigger: ".o_field_widget[name='metric_ids'] input",
            run: "edit Revenue",
        },
        {
            content: "Pick Revenue",
            trigger: ".o-autocomplete--dropdown-item a:contains('Revenue'):not(:contains('Invoiced'))",
            run: "click",
        },
        {
            content: "Save the plan",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Create the company target",
            trigger: "button[name='action_generate_top_targets']",
            run: "click",
        },
        {
            content: "Open the targets",
            trigger: "button[name='action_view_targets']:contains(1)",
            run: "click",
        },
        {
            content: "The targets of the plan are listed",
            trigger: ".o_last_breadcrumb_item:contains('Targets')",
        },
        {
            content: "Open the company target",
            trigger: ".o_data_row:contains('Revenue / 2031') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Set the yearly target",
            trigger: ".o_field_widget[name='target_value'] input",
            run: "edit 1200000",
        },
        {
            content: "Decompose",
            trigger: "button[name='action_open_decompose']",
            run: "click",
        },
        {
            content: "Split to sales teams",
            trigger: ".modal .o_field_widget[name='dimension'] input[data-value='team']",
            run: "click",
        },
        {
            content: "Then over months",
            trigger: ".modal .o_field_widget[name='also_by_period'] input",
            run: "click",
        },
        {
            content: "Teams are proposed",
            trigger: ".modal .o_field_widget[name='team_ids'] .o_tag",
        },
        {
            content: "Create the targets",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The breakdown lists monthly team targets",
            trigger: ".o_data_row:contains('2031-12')",
        },
    ],
});

registry.category("web_tour.tours").add("sales_targets_my_targets_tour", {
    steps: () => [
        {
            content: "My current revenue target is shown with its achievement",
            trigger: ".o_kanban_record:contains('Revenue') .o_progressbar",
        },
        {
            content: "Its actual comes from my confirmed orders",
            trigger: ".o_kanban_record:contains('Actual'):not(:has(.o_target_no_sales))",
        },
        {
            content: "Open the target",
            trigger: ".o_kanban_record:contains('Revenue')",
            run: "click",
        },
        {
            content: "The form shows MTD and the run-rate",
            trigger: ".o_form_view .o_field_widget[name='mtd']",
        },
        {
            content: "Open the Targets menu",
            trigger: ".o_menu_sections .dropdown-toggle:contains('Targets')",
            run: "click",
        },
        {
            content: "Open My Commission",
            trigger: ".dropdown-item[data-menu-xmlid='sales_targets.menu_my_commission']",
            run: "click",
        },
        {
            content: "What I earned this month under my commission scheme",
            trigger: ".o_kanban_record:contains('Field sales commission'):contains('Earned')",
        },
    ],
});

function openMenu(xmlid, title, shown = `.o_last_breadcrumb_item:contains('${title}')`) {
    return [
        {
            content: "Open the Targets menu",
            trigger: ".o_menu_sections .dropdown-toggle:contains('Targets')",
            run: "click",
        },
        {
            content: `Open ${title}`,
            trigger: `.dropdown-item[data-menu-xmlid='sales_targets.${xmlid}']`,
            run: "click",
        },
        {
            content: `${title} is shown`,
            trigger: shown,
        },
    ];
}

registry.category("web_tour.tours").add("sales_targets_screens_tour", {
    steps: () => [
        ...openMenu("menu_team_dashboard", "Team Dashboard"),
        {
            content: "The dashboard pivots targets by team and month",
            trigger: ".o_pivot .o_pivot_header_cell_closed, .o_pivot th",
        },
        ...openMenu("menu_target_tree", "Target Tree"),
        {
            content: "The demo company target heads the tree",
            trigger: ".o_data_row:first-child:contains('Revenue')",
        },
        ...openMenu("menu_forecast_report", "Forecast vs Target"),
        {
            content: "Forecast pivot",
            trigger: ".o_pivot",
        },
        ...openMenu("menu_forecast_commit", "Forecast Commitments"),
        {
            content: "The demo commitment is listed",
            trigger: ".o_data_row:contains('Marc Demo')",
        },
        ...openMenu("menu_commission_generate", "Compute Statements", ".modal .o_form_view"),
        {
            content: "Compute last month's statements",
            trigger: ".modal button[name='action_generate']",
            run: "click",
        },
        {
            content: "Statements are listed",
            trigger: ".o_data_row:contains('Field sales commission')",
        },
        {
            content: "Open a statement",
            trigger: ".o_data_row:contains('Marc Demo') .o_data_cell[name='user_id']",
            run: "click",
        },
        {
            content: "Confirm it",
            trigger: ".o_form_view button[name='action_confirm']",
            run: "click",
        },
        {
            content: "It is confirmed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Confirmed')",
        },
        ...openMenu("menu_my_commission", "My Commission"),
        {
            content: "Earned to date shows as cards",
            trigger: ".o_kanban_view",
        },
    ],
});
