"""Small checks for the demo data files: each names the file and the key of a bad value.

``At`` is where a value sits (a file and a path of keys); every check takes one and raises
``DemoDataError`` with it. ``model_fields()`` checks values against a model's own fields.
"""

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.core.exceptions import FieldDoesNotExist
from django.db import models

# libyaml's safe loader when it is there (ten times faster), else PyYAML's own.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DemoDataError(Exception):
    """A problem in a demo data file, with the file and the key where it is."""


class At:
    """Where a value sits: a file and a path of keys, for error messages."""

    def __init__(self, file: str, path: str = ""):
        self.file, self.path = file, path

    def __truediv__(self, key) -> "At":
        if isinstance(key, int):
            return At(self.file, f"{self.path}[{key}]")
        return At(self.file, f"{self.path}.{key}" if self.path else str(key))

    def error(self, message: str) -> DemoDataError:
        return DemoDataError(f"{self.file}: {self.path or '(top level)'}: {message}")


# ----- small checks ---------------------------------------------------------------------------


def expect_mapping(value, at: At, *, allowed=None, required=()) -> dict:
    if not isinstance(value, dict):
        raise at.error(f"expected a mapping (key: value), got {value!r}")
    if allowed is not None:
        for key in value:
            if key not in allowed:
                raise (at / key).error(f"unknown key; expected one of: {', '.join(allowed)}")
    for key in required:
        if value.get(key) in (None, "", [], {}):
            raise (at / key).error("missing")
    return value


def expect_list(value, at: At) -> list:
    if not isinstance(value, list):
        raise at.error(f"expected a list, got {value!r}")
    return value


def expect_text(value, at: At) -> str:
    if not isinstance(value, str):
        raise at.error(f"expected text, got {value!r} (put it in quotes)")
    return value


def expect_date(value, at: At) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise at.error(f"expected a date (YYYY-MM-DD), got {value!r}")
    return value


def expect_int(value, at: At) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise at.error(f"expected a whole number, got {value!r}")
    return value


def expect_number(value, at: At) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise at.error(f"expected a number, got {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise at.error(f"expected a number, got {value!r}")


def expect_key(value, at: At, known, what: str):
    if not isinstance(value, str) or value not in known:
        raise at.error(f"no {what} has the key {value!r}")
    return value


def expect_keys(values, at: At, known, what: str) -> list:
    return [expect_key(v, at / i, known, what) for i, v in enumerate(expect_list(values, at))]


def model_fields(values: dict, at: At, model, *, required=()) -> dict:
    """Check ``values`` against ``model``'s fields (known names, types, choices, lengths) and
    return them converted (decimals to ``Decimal``)."""
    expect_mapping(values, at, required=required)
    checked = {}
    for name, value in values.items():
        where = at / name
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise where.error(f"unknown field of {model.__name__}")
        if model_field.is_relation or not model_field.editable:
            raise where.error(f"{name} cannot be set here")
        if value is None:
            if not model_field.null:
                raise where.error("cannot be empty")
        elif isinstance(model_field, models.BooleanField):
            if not isinstance(value, bool):
                raise where.error(f"expected true or false, got {value!r}")
        elif isinstance(model_field, models.DecimalField):
            value = expect_number(value, where)
        elif isinstance(model_field, models.IntegerField):
            value = expect_int(value, where)
        elif isinstance(model_field, models.DateField):
            value = expect_date(value, where)
        elif isinstance(model_field, models.JSONField):
            value = [expect_text(v, where / i) for i, v in enumerate(expect_list(value, where))]
        else:
            value = expect_text(value, where)
            if model_field.max_length and len(value) > model_field.max_length:
                raise where.error(f"longer than {model_field.max_length} characters")
        if value is not None and model_field.choices:
            allowed = {str(choice) for choice, _label in model_field.flatchoices}
            if str(value) not in allowed:
                raise where.error(f"{value!r} is not one of: {', '.join(sorted(allowed))}")
        checked[name] = value
    return checked


def pick(values: dict, names) -> dict:
    return {k: values[k] for k in names if k in values}


def load_yaml(path: Path, root: Path) -> tuple[str, object]:
    name = (
        str(path.relative_to(root.parent.parent))
        if path.is_relative_to(root.parent.parent)
        else str(path)
    )
    try:
        with path.open(encoding="utf-8") as fh:
            return name, yaml.load(fh, Loader=_LOADER)  # noqa: S506 - a safe loader
    except FileNotFoundError:
        raise DemoDataError(f"{name}: the file is missing")
    except yaml.YAMLError as error:
        raise DemoDataError(f"{name}: not valid YAML: {error}")
