{
    "name": "Resource Forecast",
    "summary": "Man-hour forecasts of capacity, plan, actuals, cost and revenue",
    "version": "18.0.1.1.0",
    "category": "Services/Project",
    "website": "https://github.com/resource-sharing/resource-sharing",
    "author": "Resource Sharing developers",
    "maintainers": ["resource-sharing"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": [
        "hr_holidays",
        "resource_sharing",
    ],
    "data": [
        "security/resource_forecast_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/staffing_forecast_line_views.xml",
        "views/staffing_forecast_utilization_views.xml",
        "views/staffing_forecast_snapshot_views.xml",
        "views/staffing_forecast_rate_views.xml",
        "views/staffing_bench_views.xml",
        "views/staffing_outlook_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/resource_forecast_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "resource_forecast/static/src/js/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
}
