"""Configuration files: JSON read safely, then validated against a packaged JSON Schema.

Every configuration document ictb reads goes through this module: the policy
parameters (``--policy``, ``data/policy.json``) and the redaction profiles
(``--profile-file``, ``data/redaction-profiles.json``).  Each has a JSON Schema (Draft
2020-12) in ``data/schemas/``, which bounds every number and names every key, so that
whatever a configuration file holds, the run either gets values it can use or stops
with one :class:`ConfigError` naming the file, the line and the JSON path of the
problem (never the value, which may be long).  A user's file is validated when it is
loaded; the packaged defaults are validated by the tests.

Reading (:func:`decode`) refuses what ``json`` would otherwise take or choke on: text
that is not UTF-8, duplicate keys (the last would silently win), ``NaN`` and
``Infinity`` (not JSON), numbers of absurd length, and nesting deeper than
:data:`MAX_DEPTH`; a configuration file is also at most :data:`MAX_BYTES`.  The
documents of ``xsd/`` (credential records, check context, ...) are read by the same
:func:`decode`, but they are not configuration: their JSON form is defined by their
XSD and validated by ``ictb.schema``, and a bad one is an input error (exit 1).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ictb.errors import ConfigError, MissingInputError

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_DIGITS = 100

POLICY = "policy"
REDACTION_PROFILES = "redaction-profiles"


def load(path: str | Path, schema_name: str, *, what: str) -> Any:
    """A user's configuration file, read safely and valid against ``schema_name``.

    ``what`` names the file in messages ("policy file").  Raises
    :class:`MissingInputError` when there is no such file and :class:`ConfigError` for
    everything else that is wrong with it (both exit 3).
    """
    source = str(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise MissingInputError(f"no such {what}", path=source) from None
    except IsADirectoryError:
        raise ConfigError(f"cannot read {what}: it is a directory", path=source) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {what}: {exc.strerror or exc}", path=source) from None
    return _checked(data, source, schema_name, what)


def packaged(resource: str, *, what: str) -> Any:
    """A configuration file shipped in the package (``data/...``), read the same way.

    It is not validated at run time: loading jsonschema and compiling a schema would
    cost every command about 90 ms for a file that cannot change after release.  The
    tests validate each packaged file against its schema instead.
    """
    data = resources.files("ictb").joinpath(resource).read_bytes()
    value, _ = parse(data, f"ictb/{resource}", what=what)
    return value


def _checked(data: bytes, source: str, schema_name: str, what: str) -> Any:
    if len(data) > MAX_BYTES:
        raise ConfigError(f"cannot read {what}: larger than {MAX_BYTES // 1024} KiB", path=source)
    value, text = parse(data, source, what=what)
    validate(value, schema_name, source, what=what, text=text)
    return value


# ---------------------------------------------------------------- reading


class _Refused(ValueError):
    """Raised by the decoder hooks; ``kind`` says which piece :func:`_locate` looks for."""

    def __init__(self, message: str, kind: str, key: str = ""):
        super().__init__(message)
        self.kind = kind
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"duplicate key {_short(key)}", "duplicate", key)
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number", "constant")


def _int(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise _Refused(f"a number longer than {MAX_DIGITS} digits", "number")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if len(text) > MAX_DIGITS or not math.isfinite(value):
        raise _Refused("a number too large to hold", "number")
    return value


class JsonProblem(ValueError):
    """Why :func:`decode` refused a text, and the line, when known.  ``limit`` marks the
    problems of size rather than of form (too deep, too long a number)."""

    def __init__(self, message: str, line: int | None = None, *, limit: bool = False):
        super().__init__(message)
        self.line = line
        self.limit = limit


def decode(data: bytes, *, max_depth: int = MAX_DEPTH) -> tuple[Any, str]:
    """The JSON value of ``data`` and its text, or :class:`JsonProblem`.

    Plain JSON only: UTF-8 (a byte order mark is allowed), no duplicate keys, no ``NaN``
    or ``Infinity``, no number longer than :data:`MAX_DIGITS`, at most ``max_depth``
    levels of arrays and objects.  Documents (``ictb.schema``) are read with it too.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JsonProblem("not UTF-8", data.count(b"\n", 0, exc.start) + 1) from None
    if not text.strip():
        raise JsonProblem("the file is empty")
    try:
        value = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=_constant,
            parse_int=_int,
            parse_float=_float,
        )
    except json.JSONDecodeError as exc:
        raise JsonProblem(f"not valid JSON: {exc.msg}", exc.lineno) from None
    except _Refused as exc:
        raise JsonProblem(str(exc), _locate(text, exc), limit=exc.kind == "number") from None
    except RecursionError:
        raise JsonProblem("nested too deeply", limit=True) from None
    if _depth(value, max_depth) > max_depth:
        raise JsonProblem(f"nested more than {max_depth} levels deep", limit=True)
    return value, text


def parse(data: bytes, source: str, *, what: str) -> tuple[Any, str]:
    """:func:`decode` for a configuration file: :class:`ConfigError` if it is not plain JSON."""
    try:
        return decode(data)
    except JsonProblem as problem:
        raise ConfigError(
            f"cannot read {what}: {problem}", path=source, line=problem.line
        ) from None


def _depth(value: Any, limit: int) -> int:
    """How deeply ``value`` nests (looking no further than one level past ``limit``)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= limit:
                children = item.values() if isinstance(item, dict) else item
                stack.extend((child, depth + 1) for child in children)
    return deepest


# ---------------------------------------------------------------- where in the text

# A JSON string, one punctuation character, or a run of anything else (a literal).
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)
_CONSTANTS = frozenset({"NaN", "Infinity", "-Infinity"})


def positions(text: str) -> Iterator[tuple[tuple[str | int, ...], str, int, bool]]:
    """(JSON path, token, line, is a key) of each key, literal, string, object and array
    of a JSON text, in document order; a key's path is that of its value.

    Only for finding lines: the text has already been parsed (or failed to parse for a
    reason :func:`parse` names).
    """
    path: list[str | int] = []
    kinds: list[str] = []  # "{" or "[" for each open container
    expect_key = False
    line, last = 1, 0
    for match in _TOKEN.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        piece = match.group()
        if piece in "{[":
            if not expect_key:
                yield tuple(path), piece, line, False
            kinds.append(piece)
            path.append(0)
            expect_key = piece == "{"
        elif piece in "}]":
            kinds.pop()
            path.pop()
            expect_key = False
        elif piece == ",":
            if kinds and kinds[-1] == "[":
                path[-1] = int(path[-1]) + 1
            expect_key = bool(kinds) and kinds[-1] == "{"
        elif piece == ":":
            continue
        elif expect_key:
            key = json.loads(piece)
            path[-1] = key
            expect_key = False
            yield tuple(path), key, line, True
        else:
            yield tuple(path), piece, line, False


def _locate(text: str, refused: _Refused) -> int | None:
    """The line of the piece a decoder hook refused."""
    seen: set[tuple[str | int, ...]] = set()
    try:
        for path, piece, line, is_key in positions(text):
            if is_key and refused.kind == "duplicate":
                if path in seen and piece == refused.key:
                    return line
                seen.add(path)
            elif not is_key and refused.kind == "constant" and piece in _CONSTANTS:
                return line
            elif not is_key and refused.kind == "number" and piece[:1] in "-0123456789":
                if len(piece) > MAX_DIGITS or not math.isfinite(float(piece)):
                    return line
    except (ValueError, IndexError):
        return None
    return None


def _line_of(text: str, wanted: tuple[str | int, ...]) -> int | None:
    """The line where the value at ``wanted`` starts (or its key, in an object)."""
    try:
        for path, _piece, line, _is_key in positions(text):
            if path == wanted:
                return line
        return None if wanted else 1
    except (ValueError, IndexError):
        return None


# ---------------------------------------------------------------- validating


@cache
def schema(name: str) -> dict[str, Any]:
    """The packaged JSON Schema ``data/schemas/NAME.schema.json``."""
    text = resources.files("ictb").joinpath(f"data/schemas/{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _is_whole_number(checker: object, instance: object) -> bool:
    # JSON Schema counts 30.0 as an integer; a configuration file writes 30.
    return isinstance(instance, int) and not isinstance(instance, bool)


@cache
def validator(name: str) -> Validator:
    """A Draft 2020-12 validator for the packaged schema ``name`` (jsonschema is imported
    only when a configuration file is first read)."""
    from jsonschema import Draft202012Validator, validators

    checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_whole_number)
    cls = validators.extend(Draft202012Validator, type_checker=checker)  # type: ignore[no-untyped-call]
    instance: Validator = cls(schema(name))
    return instance


def validate(
    value: Any, schema_name: str, source: str, *, what: str, text: str | None = None
) -> None:
    """Raise :class:`ConfigError` for the most relevant way ``value`` does not fit the
    schema, with the line of the problem when ``text`` (the file's JSON) is given."""
    from jsonschema.exceptions import best_match

    errors = list(validator(schema_name).iter_errors(value))
    if not errors:
        return
    error = best_match(errors)
    assert error is not None
    where, problem, at = describe(error)
    # ``required`` reports each missing key apart: count the places, not the errors.
    others = {(tuple(e.absolute_path), str(e.validator)) for e in errors if e is not error}
    others.discard((where, str(error.validator)))
    more = f" (and {len(others)} more)" if others else ""
    line = _line_of(text, at) if text is not None else None
    raise ConfigError(
        f"{what} does not fit {schema_name}.schema.json: {json_path(where)}: {problem}{more}",
        path=source,
        line=line,
    )


_TYPES = {
    "object": "a JSON object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def describe(
    error: ValidationError,
) -> tuple[tuple[str | int, ...], str, tuple[str | int, ...]]:
    """(JSON path, what is wrong there, the path of the line to show) of a schema error,
    in words that never echo the value found."""
    where: tuple[str | int, ...] = tuple(error.absolute_path)
    kind = str(error.validator)
    wanted: Any = error.validator_value
    rule: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    if "propertyNames" in error.absolute_schema_path:
        problem = f"key {_short(str(instance))} is not a valid name"
        return where, problem, (*where, str(instance))
    messages: dict[str, Callable[[], str]] = {
        "type": lambda: (
            "must be "
            + " or ".join(
                _TYPES.get(t, t) for t in ([wanted] if isinstance(wanted, str) else wanted)
            )
        ),
        "minimum": lambda: _range(rule),
        "maximum": lambda: _range(rule),
        "exclusiveMinimum": lambda: _range(rule),
        "exclusiveMaximum": lambda: _range(rule),
        "minItems": lambda: f"must have at least {_plural(wanted, 'item')}",
        "maxItems": lambda: f"must have at most {_plural(wanted, 'item')}",
        "uniqueItems": lambda: "must not name the same item twice",
        "minLength": lambda: (
            "must not be empty"
            if wanted == 1
            else f"must be at least {_plural(wanted, 'character')}"
        ),
        "maxLength": lambda: f"must be at most {_plural(wanted, 'character')}",
        "minProperties": lambda: "must not be empty",
        "maxProperties": lambda: f"must have at most {_plural(wanted, 'key')}",
        "const": lambda: f"must be {json.dumps(wanted)}",
        "enum": lambda: "must be one of " + ", ".join(json.dumps(v) for v in wanted),
        "pattern": lambda: f"must match {wanted}",
    }
    if kind == "required" and isinstance(instance, dict):
        missing = [k for k in wanted if k not in instance]
        return where, f"missing keys: {_names(missing)}", where
    if kind == "additionalProperties" and isinstance(instance, dict):
        known = set(rule.get("properties", {}))
        unknown = sorted(k for k in instance if k not in known)
        first = (*where, unknown[0]) if unknown else where
        return where, f"unknown keys: {_names(unknown)}", first
    if kind in messages:
        return where, messages[kind](), where
    return where, f"does not fit the schema ({kind})", where


def _range(rule: dict[str, Any]) -> str:
    low, high = rule.get("minimum"), rule.get("maximum")
    noun = "whole number" if rule.get("type") == "integer" else "number"
    if low == 1 and high is not None:
        return f"must be a positive {noun}, at most {high}"
    if low is not None and high is not None:
        return f"must be a {noun} from {low} to {high}"
    if low is not None:
        return f"must be a {noun} of at least {low}"
    return f"must be a {noun} of at most {high}"


def _short(name: str, limit: int = 40) -> str:
    quoted = json.dumps(name)
    return quoted if len(quoted) <= limit else quoted[: limit - 4] + '..."'


def _names(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(_short(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def json_path(parts: tuple[str | int, ...]) -> str:
    """``$.expiry_warning_days[0]``: where in the document a problem is."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(part) and len(part) <= 40:
            out += f".{part}"
        else:
            out += f"[{_short(part)}]"
    return out
