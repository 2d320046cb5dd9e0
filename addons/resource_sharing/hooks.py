def post_init_hook(env):
    """Give the consultants that existed before the addon their ledger rows."""
    employees = env["hr.employee"].with_context(active_test=False).search([])
    env["staffing.ledger"]._rebuild(employees)
