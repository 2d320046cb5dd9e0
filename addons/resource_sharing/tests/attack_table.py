"""Table-driven attacks: a determined user of each group tries to break a rule.

Each :class:`Attack` row names the rule of the README it attacks, the user (a
fixture attribute), the path (``create``, ``write``, ``load``, ``copy``,
``unlink``, ``call``, ``read``, ``search``, ``read_group``, ``export``), the
target record (a fixture method) and the values. The runner plays the row as
that user, without ``sudo``, and asserts the expected refusal and that nothing
was written: the target's stored values and the model's row count are compared
before and after. A row with ``check`` instead of ``error`` is a guarantee that
holds without a refusal (money left out of a result, a forecast kept true); its
check receives the test case and the call's result.

A new rule is one more row.
"""

from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from odoo.exceptions import AccessError, UserError, ValidationError

REFUSALS = (AccessError, UserError, ValidationError)


@dataclass(frozen=True)
class Attack:
    name: str
    rule: str
    user: str
    model: str
    path: str
    target: str | None = None
    values: Any = None
    error: type | tuple | None = UserError
    message: str = ""
    context: dict = field(default_factory=dict)
    check: Any = None

    def resolve(self, case, value):
        return value(case) if callable(value) else value


class AttackRunner:
    """Mixin for a test case holding users and target builders as fixtures."""

    def run_attacks(self, attacks):
        """Play each row in a savepoint rolled back afterwards: rows never mix."""
        for attack in attacks:
            with self.subTest(attack=attack.name):
                try:
                    with suppress(_RowDone), self.env.cr.savepoint():
                        self._run_attack(attack)
                        raise _RowDone()
                finally:
                    self.env.invalidate_all()

    def _run_attack(self, attack):
        target = getattr(self, attack.target)() if attack.target else None
        values = attack.resolve(self, attack.values)
        user = getattr(self, attack.user)
        model = self.env[attack.model]
        before = self._state_of(model, target)
        as_user = (target or model).with_user(user).with_context(**attack.context)
        if attack.error:
            self._expect_refusal(attack, as_user, values)
        else:
            with self.env.cr.savepoint():
                result = self._play(attack.path, as_user, values)
                attack.check(self, result)
            self.env.invalidate_all()
            return
        self.env.invalidate_all()
        self.assertEqual(
            self._state_of(model, target),
            before,
            f"{attack.name}: the refused call changed data",
        )

    def _expect_refusal(self, attack, records, values):
        if attack.path == "load":
            with self.env.cr.savepoint():
                result = self._play("load", records, values)
            messages = [m["message"] for m in result["messages"]]
            self.assertFalse(result["ids"], f"{attack.name}: import was accepted")
            self.assertRegex(" ".join(messages), attack.message or ".")
            return
        with self.assertRaisesRegex(attack.error, attack.message or "."):
            with self.env.cr.savepoint():
                self._play(attack.path, records, values)
                records.env.flush_all()

    def _play(self, path, records, values):
        if path == "create":
            return records.create(values)
        if path == "write":
            return records.write(values)
        if path == "copy":
            return records.copy(values)
        if path == "unlink":
            return records.unlink()
        if path == "load":
            fields, rows = values
            return records.load(fields, rows)
        if path == "call":
            method, *args = values
            return getattr(records, method)(*args)
        if path == "read":
            return records.read(values)
        if path == "search":
            return records.search(values)
        if path == "read_group":
            domain, fields, groupby = values
            return records.read_group(domain, fields, groupby)
        if path == "export":
            return records.export_data(values)
        raise AssertionError(f"unknown path {path}")

    def _state_of(self, model, target):
        """Row count of the model and the target's stored values, read as admin."""
        self.env.flush_all()
        self.env.invalidate_all()
        model = model.sudo().with_context(active_test=False)
        stored = [
            name
            for name, fld in model._fields.items()
            if fld.store
            and fld.type not in ("one2many", "many2many", "binary")
            and name not in ("write_date", "write_uid")
        ]
        values = target.sudo().read(stored) if target else []
        return model.search_count([]), values


class _RowDone(Exception):
    """Ends a row's savepoint with a rollback."""
