"""The official Losant JSON schemas shipped in ``schemas/``, checked with the ``jsonschema`` package.

``jsonschema`` finds the problems; this module words them as the emulator's 400 ``Validation``
messages (one per problem, in the order of the body's keys, a missing required key first).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import jsonschema
from jsonschema.exceptions import ValidationError

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def _javascript_pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterator[ValidationError]:
    """Schema patterns are JavaScript regexes: ``\\d`` is ASCII and a final ``$`` never matches before a newline."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    if validator.is_type(instance, "string") and not re.search(pattern, instance, re.ASCII):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": _javascript_pattern})


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """Load ``schemas/<name>.json``."""
    with open(SCHEMA_DIR / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def json_type(value: Any) -> str:
    """The JSON type name of a decoded JSON value."""
    for name, kind in (("null", type(None)), ("boolean", bool), ("integer", int), ("number", float),
                       ("string", str), ("array", list), ("object", dict)):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def validate(value: Any, schema: dict, path: str = "") -> list[str]:
    """Return a list of readable problems; empty when ``value`` matches ``schema``."""
    errors = list(_Validator(schema).iter_errors(value))
    mistyped = {tuple(error.absolute_path) for error in errors if error.validator == "type"}
    problems = [(where, text) for error in errors
                if error.validator == "type" or not _under(tuple(error.absolute_path), mistyped)
                for where, text in _worded(error, path)]
    return [text for where, text in sorted(problems, key=lambda problem: _order(value, problem[0]))]


def _under(where: tuple, mistyped: set) -> bool:
    """Whether a value at ``where`` or above it has the wrong type (its type is then its only problem)."""
    return any(where[:length] in mistyped for length in range(len(where) + 1))


def _worded(error: ValidationError, root: str) -> Iterator[tuple[tuple, str]]:
    """(where, text) for each problem ``error`` stands for; a missing key sorts first, as key ``None``."""
    where = tuple(error.absolute_path)
    label = _label(root, where)
    rule, instance = error.validator_value, error.instance
    if error.validator == "required":
        for name in rule:
            if name not in instance:
                yield where + (None,), f'"{_name(root, where + (name,))}" is required'
    elif error.validator == "additionalProperties":
        for name in instance:
            if name not in error.schema.get("properties", {}):
                yield where + (name,), f'"{_name(root, where + (name,))}" is not an allowed field'
    else:
        yield where, _TEXTS[error.validator](label, rule, instance)


def _order(value: Any, where: tuple) -> list:
    """Sort key: the position of each step of ``where`` among its object's keys (a missing key first)."""
    positions = []
    for step in where:
        if step is None:
            positions.append(-1)
            break
        positions.append(list(value).index(step) if isinstance(value, dict) else step)
        value = value[step]
    return positions


def _name(root: str, where: tuple) -> str:
    name = root
    for step in where:
        name += f"[{step}]" if isinstance(step, int) else (f".{step}" if name else step)
    return name


def _label(root: str, where: tuple) -> str:
    name = _name(root, where)
    return f'"{name}"' if name else "the request body"


def _describe(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _type_text(label: str, rule: Any, value: Any) -> str:
    wanted = " or ".join(_TYPE_NAMES.get(choice, choice) for choice in (rule if isinstance(rule, list) else [rule]))
    return f"{label} must be {wanted}, got {json_type(value)} {_describe(value)}"


_TEXTS = {
    "type": _type_text,
    "enum": lambda label, rule, value: (
        f"{label} must be one of: {', '.join(str(item) for item in rule)}; got {_describe(value)}"),
    "minLength": lambda label, rule, value: f"{label} must be at least {rule} characters long",
    "maxLength": lambda label, rule, value: f"{label} must be at most {rule} characters long, got {len(value)}",
    "pattern": lambda label, rule, value: f"{label} must match the pattern {rule}",
    "minimum": lambda label, rule, value: f"{label} must be >= {rule}, got {_describe(value)}",
    "maximum": lambda label, rule, value: f"{label} must be <= {rule}, got {_describe(value)}",
    "maxItems": lambda label, rule, value: f"{label} must have at most {rule} items, got {len(value)}",
}
