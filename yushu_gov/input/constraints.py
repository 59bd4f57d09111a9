"""Database constraints as the one statement of a rule.

A model's named constraints carry their own `violation_error_message`. Two helpers make that message the one
a clerk sees, whichever way the rule is broken:

- `ConstraintFields`, a model mixin: `Model.validate_constraints()` (which forms and services call) reports
  each broken constraint against the field the model names for it in `CONSTRAINT_FIELDS`, so that a form
  shows the message beside that field;
- `integrity_error()`: when the database itself refuses a row (two clerks at once, a stale page), the same
  message, found from `Meta.constraints`.
"""

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, router
from django.db.models import BaseConstraint


class ConstraintFields:
    """Model mixin (put it before models.Model). `CONSTRAINT_FIELDS` maps a constraint's name to the field
    its message belongs beside; other constraints report at the top of the form."""

    CONSTRAINT_FIELDS: dict[str, str] = {}

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as exc:
                    field = self.CONSTRAINT_FIELDS.get(constraint.name)
                    if field is None and getattr(exc, "code", None) == "unique" and len(constraint.fields) == 1:
                        field = constraint.fields[0]
                    errors.setdefault(field or NON_FIELD_ERRORS, []).extend(exc.error_list)
        if errors:
            raise ValidationError(errors)


def has_own_message(constraint: BaseConstraint) -> bool:
    return constraint.violation_error_message not in (None, BaseConstraint.default_violation_error_message)


def constraint_messages(model) -> dict[str, str]:
    """{constraint name: its message} for the model's constraints that carry a message of their own."""
    return {c.name: c.get_violation_error_message() for c in model._meta.constraints if has_own_message(c)}


def integrity_error(exc: IntegrityError, instance) -> ValidationError:
    """The ValidationError to show for an IntegrityError raised while saving `instance`.

    PostgreSQL names the constraint in its error; SQLite names only the columns, so there the instance is
    validated again, now that the row it collided with is committed. Re-raises `exc` when neither finds a
    rule (an error no clerk can act on is a bug, not a message)."""
    text = str(exc)
    model = type(instance)
    for name, message in constraint_messages(model).items():
        if re.search(rf"\b{re.escape(name)}\b", text):
            field = getattr(model, "CONSTRAINT_FIELDS", {}).get(name)
            return ValidationError({field: message} if field else message, code=name)
    try:
        instance.validate_constraints()
    except ValidationError as error:
        return error
    raise exc
