def post_init_hook(env):
    """Fill the forecast from the allocations and timesheets already there."""
    env["staffing.forecast.line"]._refresh_all()
