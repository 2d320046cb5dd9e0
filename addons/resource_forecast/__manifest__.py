{
    "name": "Resource Forecast",
    "summary": "Man-hour forecasts of capacity, plan, actuals, cost and revenue",
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/resource-sharing/resource-sharing",
    "author": "Resource Sharing developers",
    "maintainers": ["resource-sharing"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": [
        "resource_sharing",
    ],
    "data": [
        "security/resource_forecast_security.xml",
    ],
}
