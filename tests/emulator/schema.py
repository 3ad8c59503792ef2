"""The official Losant JSON schemas shipped in ``schemas/`` and a small validator for them.

The schemas of request bodies and queries only use type, enum, minLength, maxLength, minimum,
maximum, pattern, required, properties, items, maxItems and additionalProperties (``format`` is
informative and ignored), so this validator implements exactly that subset of draft-07. The
response schema ``flows.json`` needs more (``oneOf``); only the tests check answers against it,
with the ``jsonschema`` package.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

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


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """Load ``schemas/<name>.json``."""
    with open(SCHEMA_DIR / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def json_type(value: Any) -> str:
    """The JSON type name of a decoded JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _has_type(value: Any, expected: str) -> bool:
    actual = json_type(value)
    if expected == "number":
        return actual in ("integer", "number")
    if expected == "integer":
        return actual == "integer" or (actual == "number" and float(value).is_integer())
    return actual == expected


def _describe(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _label(path: str) -> str:
    return f'"{path}"' if path else "the request body"


def validate(value: Any, schema: dict, path: str = "") -> list[str]:
    """Return a list of readable problems; empty when ``value`` matches ``schema``."""
    expected = schema.get("type")
    if expected is not None:
        choices = expected if isinstance(expected, list) else [expected]
        if not any(_has_type(value, choice) for choice in choices):
            wanted = " or ".join(_TYPE_NAMES.get(choice, choice) for choice in choices)
            return [f"{_label(path)} must be {wanted}, got {json_type(value)} {_describe(value)}"]
    problems: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(str(item) for item in schema["enum"])
        problems.append(f"{_label(path)} must be one of: {allowed}; got {_describe(value)}")
    if isinstance(value, str):
        problems.extend(_string_problems(value, schema, path))
    if json_type(value) in ("integer", "number"):
        problems.extend(_number_problems(value, schema, path))
    if isinstance(value, dict):
        problems.extend(_object_problems(value, schema, path))
    if isinstance(value, list) and "maxItems" in schema and len(value) > schema["maxItems"]:
        problems.append(f"{_label(path)} must have at most {schema['maxItems']} items, got {len(value)}")
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            problems.extend(validate(item, schema["items"], f"{path}[{index}]"))
    return problems


def _string_problems(value: str, schema: dict, path: str) -> list[str]:
    problems = []
    if "minLength" in schema and len(value) < schema["minLength"]:
        problems.append(f"{_label(path)} must be at least {schema['minLength']} characters long")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        problems.append(
            f"{_label(path)} must be at most {schema['maxLength']} characters long, got {len(value)}"
        )
    if "pattern" in schema and not re.search(_python_pattern(schema["pattern"]), value, re.ASCII):
        problems.append(f"{_label(path)} must match the pattern {schema['pattern']}")
    return problems


def _number_problems(value: float, schema: dict, path: str) -> list[str]:
    problems = []
    if "minimum" in schema and value < schema["minimum"]:
        problems.append(f"{_label(path)} must be >= {schema['minimum']}, got {_describe(value)}")
    if "maximum" in schema and value > schema["maximum"]:
        problems.append(f"{_label(path)} must be <= {schema['maximum']}, got {_describe(value)}")
    return problems


def _object_problems(value: dict, schema: dict, path: str) -> list[str]:
    problems = []
    properties = schema.get("properties", {})
    prefix = f"{path}." if path else ""
    for name in schema.get("required", []):
        if name not in value:
            problems.append(f'"{prefix}{name}" is required')
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            problems.extend(validate(item, properties[name], prefix + name))
        elif extra is False:
            problems.append(f'"{prefix}{name}" is not an allowed field')
        elif isinstance(extra, dict):
            problems.extend(validate(item, extra, prefix + name))
    return problems


def _python_pattern(pattern: str) -> str:
    """JSON Schema patterns are JavaScript regexes: a final ``$`` never matches before a newline."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern
