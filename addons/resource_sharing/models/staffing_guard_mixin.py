from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import bounds

# (model, field) pairs the product's own code may write in the current block
_GRANTED = ContextVar("staffing_granted_fields", default=frozenset())


@contextmanager
def grant_fields(grants):
    """Let the product's own code write action-owned fields.

    A ContextVar and not a context key: an RPC caller can send any context key,
    but cannot reach a variable of the server's own thread.

    :param grants: {model name: field names}
    """
    granted = _GRANTED.get() | {
        (model_name, name) for model_name, names in grants.items() for name in names
    }
    token = _GRANTED.set(granted)
    try:
        yield
    finally:
        _GRANTED.reset(token)


class StaffingGuardMixin(models.AbstractModel):
    """Refuse, on every path, the values a caller may not write.

    * fields owned by actions (states, approval facts, frozen evidence) are
      written only by the model's own action methods, through
      :meth:`_write_action_values`;
    * derived fields (computed or related, read-only) are never written;
    * numbers are finite (and non-negative where listed), dates stay within the
      years a plan may use, periods within the company's maximum length.

    The checks look at the values before anything is written, so a refused
    ``create``, ``write``, ``load`` or ``copy`` leaves the database untouched.
    """

    _name = "staffing.guard.mixin"
    _description = "Staffing Write Guard"

    # fields only the model's own actions write
    _action_fields = frozenset()
    # fields set when the record is created and never rewritten (terms sent)
    _fixed_fields = frozenset()
    # numeric fields that cannot be negative
    _non_negative_fields = frozenset()
    # (start, end) pairs of Date fields forming a period
    _period_fields = ()

    # --------------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        defaults = {
            key[len("default_") :]: value
            for key, value in self.env.context.items()
            if key.startswith("default_") and key[len("default_") :] in self._fields
        }
        for vals in vals_list:
            self._check_guarded_values({**defaults, **vals}, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._check_guarded_values(vals)
        self._check_fixed_values(vals)
        return super().write(vals)

    # ------------------------------------------------------------------ helpers

    def _write_action_values(self, vals):
        """The write of an action method, after the action's own checks."""
        with grant_fields({self._name: vals}):
            return self.write(vals)

    @api.model
    def _create_with_action_values(self, vals_list, grants):
        """Create records whose action-owned fields server code sets.

        :param grants: {model name: field names} allowed during the creation,
            e.g. the lines created through the commands of a request
        """
        with grant_fields(grants):
            return self.create(vals_list)

    def _check_guarded_values(self, vals, creating=False):
        granted = _GRANTED.get()
        label = self._get_guard_label(creating)
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or (self._name, name) in granted:
                continue
            if name in self._action_fields:
                if not (creating and self._is_initial_value(field, value)):
                    raise UserError(
                        self.env._(
                            "%(record)s: %(field)s is set by its actions only.",
                            record=label,
                            field=field._description_string(self.env),
                        )
                    )
            elif field.compute and field.readonly:
                raise UserError(
                    self.env._(
                        "%(record)s: %(field)s is computed and cannot be written.",
                        record=label,
                        field=field._description_string(self.env),
                    )
                )
            self._check_value_bounds(field, value, label)
        self._check_period_values(vals, creating)

    def _check_fixed_values(self, vals):
        """Fixed fields keep their value: writing the same value again passes
        (an import, a form saving everything), any other value is refused."""
        granted = _GRANTED.get()
        for name in self._fixed_fields.intersection(vals):
            if (self._name, name) in granted:
                continue
            field = self._fields[name]
            for record in self:
                new = field.convert_to_cache(vals[name], record)
                old = field.convert_to_cache(record[name], record)
                if (new or False) != (old or False):
                    raise UserError(
                        self.env._(
                            "%(record)s: %(field)s cannot change once it is "
                            "created; cancel it and create a new one.",
                            record=record.display_name,
                            field=field._description_string(self.env),
                        )
                    )

    def _get_guard_label(self, creating):
        if creating or not self:
            return self._description
        if len(self) == 1:
            return self.display_name
        return ", ".join(self[:3].mapped("display_name")) + (
            "…" if len(self) > 3 else ""
        )

    def _is_initial_value(self, field, value):
        """Empty, or the field's own default: what a plain create stores anyway."""
        if not value:
            return True
        default = field.default(self) if field.default else None
        return field.convert_to_cache(value, self) == field.convert_to_cache(
            default, self
        )

    def _check_value_bounds(self, field, value, label):
        if field.type in ("float", "monetary", "integer"):
            error = bounds.number_error(
                value, non_negative=field.name in self._non_negative_fields
            )
            if error:
                raise ValidationError(
                    self._get_number_message(error, field, value, label)
                )
        elif field.type == "date" and value:
            try:
                day = fields.Date.to_date(value)
            except (TypeError, ValueError):
                day = None
            if not isinstance(day, date):
                raise ValidationError(
                    self.env._(
                        "%(record)s: %(field)s must be a date, not “%(value)s”.",
                        record=label,
                        field=field._description_string(self.env),
                        value=value,
                    )
                )
            if bounds.date_error(day):
                raise ValidationError(self._get_date_message(field, label))

    def _get_number_message(self, error, field, value, label):
        values = {
            "record": label,
            "field": field._description_string(self.env),
            "value": value,
        }
        if error == "negative":
            return self.env._("%(record)s: %(field)s cannot be negative.", **values)
        if error == "not_finite":
            return self.env._(
                "%(record)s: %(field)s must be a finite number.", **values
            )
        return self.env._(
            "%(record)s: %(field)s must be a number, not “%(value)s”.", **values
        )

    def _get_date_message(self, field, label):
        return self.env._(
            "%(record)s: %(field)s must fall between %(first)s and %(last)s.",
            record=label,
            field=field._description_string(self.env),
            first=bounds.MIN_DATE.isoformat(),
            last=bounds.MAX_DATE.isoformat(),
        )

    def _check_period_values(self, vals, creating):
        for start_name, end_name in self._period_fields:
            if start_name not in vals and end_name not in vals:
                continue
            periods = (
                [(self.browse(), vals.get(start_name), vals.get(end_name))]
                if creating
                else [
                    (
                        record,
                        vals.get(start_name, record[start_name]),
                        vals.get(end_name, record[end_name]),
                    )
                    for record in self
                ]
            )
            for record, start, end in periods:
                record._check_period(
                    fields.Date.to_date(start), fields.Date.to_date(end), vals
                )

    def _check_period(self, start, end, vals):
        company_id = vals.get("company_id")
        if not company_id and "company_id" in self._fields:
            company_id = self[:1].company_id.id
        company = self.env["res.company"].browse(company_id or self.env.company.id)
        label = self.display_name if self else self._description
        self._check_period_bounds(start, end, label, company)

    @api.model
    def _check_period_bounds(self, start, end, label, company):
        """Refuse a reversed, too long or out-of-range period of ``label``."""
        max_years = company.sudo().staffing_max_period_years
        error = bounds.period_error(start, end, max_years)
        if error == "reversed":
            raise ValidationError(
                self.env._("%(record)s ends before it starts.", record=label)
            )
        if error == "too_long":
            raise ValidationError(
                self.env._(
                    "%(record)s lasts more than %(years)s years: split it or ask "
                    "an administrator to raise the maximum period.",
                    record=label,
                    years=max_years,
                )
            )
        if error:
            raise ValidationError(
                self.env._(
                    "%(record)s: dates must fall between %(first)s and %(last)s.",
                    record=label,
                    first=bounds.MIN_DATE.isoformat(),
                    last=bounds.MAX_DATE.isoformat(),
                )
            )
