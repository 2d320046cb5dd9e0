import threading

from psycopg2 import errors

from odoo import api
from odoo.exceptions import ValidationError
from odoo.modules.registry import Registry
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

from .common import FRIDAY_NEXT, MONDAY


@tagged("post_install", "-at_install")
class TestConcurrentConfirmation(BaseCase):
    """Two planners confirm the same consultant at once in two real transactions."""

    def setUp(self):
        super().setUp()
        # the test runner holds the registry lock: threads get the registry here
        self.registry = Registry(get_db_name())

        with db_connect(get_db_name()).cursor() as cr:
            env = self._env(cr)
            employee = env["hr.employee"].create({"name": "Concurrent Consultant"})
            project = env["project.project"].create({"name": "Concurrency project"})
            allocations = env["staffing.allocation"].create(
                [
                    {
                        "employee_id": employee.id,
                        "project_id": project.id,
                        "date_start": MONDAY,
                        "date_end": FRIDAY_NEXT,
                        "allocated_hours": 60,
                    }
                    for _ in range(2)
                ]
            )
            self.employee_id = employee.id
            self.project_id = project.id
            self.allocation_ids = allocations.ids
        self.addCleanup(self._cleanup)

    def _env(self, cr):
        cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, api.SUPERUSER_ID, {})

    def _cleanup(self):
        with db_connect(get_db_name()).cursor() as cr:
            env = self._env(cr)
            allocations = env["staffing.allocation"].browse(self.allocation_ids)
            allocations.filtered(lambda a: a.state != "draft").action_draft()
            allocations.unlink()
            env["project.project"].browse(self.project_id).unlink()
            env["hr.employee"].browse(self.employee_id).unlink()

    def _confirm(self, allocation_id, outcome, barrier):
        try:
            # a real connection of its own, whatever test mode the registry is in
            with db_connect(get_db_name()).cursor() as cr:
                env = self._env(cr)
                allocation = env["staffing.allocation"].browse(allocation_id)
                allocation.read(["state"])
                barrier.wait(timeout=30)
                allocation.action_confirm()
            outcome[allocation_id] = "confirmed"
        except (errors.SerializationFailure, ValidationError) as error:
            outcome[allocation_id] = type(error).__name__

    @mute_logger("odoo.sql_db")
    def test_only_one_fits(self):
        """When only one of two bookings fits, at most one gets confirmed."""
        outcome = {}
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=self._confirm, args=(alloc_id, outcome, barrier))
            for alloc_id in self.allocation_ids
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(len(outcome), 2, outcome)
        with db_connect(get_db_name()).cursor() as cr:
            env = self._env(cr)
            states = (
                env["staffing.allocation"].browse(self.allocation_ids).mapped("state")
            )
        self.assertEqual(states.count("confirmed"), 1, outcome)
        self.assertEqual(list(outcome.values()).count("confirmed"), 1, outcome)
