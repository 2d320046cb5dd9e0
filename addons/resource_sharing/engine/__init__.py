"""Pure-Python planning engine for resource sharing.

Kept free of any ``odoo`` import so the load, feasibility and ranking rules can
be unit-tested quickly and reused by the Odoo models, which only gather facts
(capacities, bookings, skills, rates) and hand them to these functions.
"""

from . import bounds, escalation, feasibility, load, ranking

__all__ = ["bounds", "escalation", "feasibility", "load", "ranking"]
