"""The document schemas in ``xsd/``: compiled once per process, validated with libxml2.

Per-document validation uses lxml (libxml2), which is fast.  ``xmlschema`` (pure
Python) is used only to map JSON to and from XML, since one schema defines both forms.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from ictb import xmlsafe
from ictb.errors import InputError

RECORD_NS = "urn:ictb:credential-record:1"
ICTB_NS = "urn:ictb:ictb:1"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"

CONTEXT_NS = "urn:ictb:check-context:1"

RECORD_XSD = "credential-record.xsd"
ICTB_XSD = "ictb.xsd"
CONTEXT_XSD = "check-context.xsd"


def xsd_dir() -> Path:
    """The schemas: inside the installed package, or ``xsd/`` beside it in a checkout."""
    packaged = Path(__file__).resolve().parent / "xsd"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "xsd"


@cache
def compiled(name: str) -> etree.XMLSchema:
    path = xsd_dir() / name
    root = xmlsafe.parse_bytes(xmlsafe.read_input(path), str(path), base_url=path.as_uri())
    return etree.XMLSchema(root.getroottree())


def errors(root: etree._Element, name: str) -> list[tuple[int | None, str]]:
    """Every schema violation of the document, as (line, message)."""
    schema = compiled(name)
    if schema.validate(root):
        return []
    return [(e.line or None, _clean(e.message)) for e in schema.error_log]


def require_valid(root: etree._Element, name: str, source: str) -> None:
    """Raise :class:`InputError` at the first schema violation."""
    found = errors(root, name)
    if found:
        line, message = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise InputError(
            f"does not fit {name}: {message}{more}", path=source, line=line, code="INPUT-004"
        )


_NAMESPACE = re.compile(r"\{urn:ictb:[^}]*\}")
# Schema messages quote the rejected value; it may be an SSN or a date of birth, which
# no report may show (DHS-040, Encl. 4 §8c).  Element names stay, values go.
_QUOTED_VALUE = re.compile(
    r"(The value |\[facet '[^']*'\] The value |: )'[^']*'( is not| has a length| is not a valid)"
)


# What a date (xsd/common.xsd ``Date``, ``DateTime``) must look like, said instead of
# the schema's own message, which quotes the value and the pattern.
DATE_FORM = "not a calendar date of the form YYYY-MM-DD"
DATETIME_FORM = "not a date and time of the form YYYY-MM-DDThh:mm:ss (with Z or +hh:mm)"
_DATE_PROBLEM = re.compile(
    r"^(Element '[^']*'): (?:\[facet 'pattern'\] The value '[^']*' is not accepted by the "
    r"pattern '\[0-9\]\{4\}-\[0-9\]\{2\}-\[0-9\]\{2\}(T?)[^']*'|'[^']*' is not a valid value "
    r"of the atomic type '(?:xs:)?(date|Date|dateTime|DateTime)')\.?$"
)


def _clean(message: str) -> str:
    message = _NAMESPACE.sub("", message)
    date = _DATE_PROBLEM.match(message)
    if date:
        timed = date.group(2) or (date.group(3) or "").lower() == "datetime"
        return f"{date.group(1)}: {DATETIME_FORM if timed else DATE_FORM}"
    return _QUOTED_VALUE.sub(r"\1(value not shown)\2", message)


def _temporal_form(validator: Any) -> str | None:
    """The date form an ``xmlschema`` error is about, when its validator is a date type
    (or that type's pattern): its message would quote the value."""
    for item in (validator, getattr(validator, "parent", None)):
        local = str(getattr(item, "name", None) or "").rsplit("}", 1)[-1]
        if local in ("date", "Date"):
            return DATE_FORM
        if local in ("dateTime", "DateTime"):
            return DATETIME_FORM
    return None


# ---------------------------------------------------------------- JSON form


def parse_document(
    raw: bytes, source: str, name: str, ns: str, root_tag: str, model: type | None = None
) -> etree._Element:
    """A document given as XML or JSON (told apart by its first character), as valid XML.

    With ``model`` (the document's dataclass), JSON is first mapped through the model,
    which is fast; only JSON the model does not take as is goes through ``xmlschema``,
    whose messages say precisely what is wrong.  Either way the result is validated
    against the same schema.
    """
    if not raw.lstrip(b"\xef\xbb\xbf \t\r\n"):
        raise InputError("empty document", path=source)
    if is_json(raw):
        fast = _through_model(raw, name, ns, root_tag, model) if model is not None else None
        root = fast if fast is not None else json_to_xml(raw, name, root_tag, ns, source)
    else:
        root = xmlsafe.parse_bytes(raw, source)
    if root.tag != f"{{{ns}}}{root_tag}":
        local = root.tag.rsplit("}", 1)[-1] if isinstance(root.tag, str) else "?"
        raise InputError(
            f"expected {root_tag!r} in namespace {ns}, found {local!r}",
            path=source,
            line=root.sourceline,
            code="INPUT-004",
        )
    if is_json(raw):
        _require_valid_json(root, name, source, raw)
    else:
        require_valid(root, name, source)
    return root


def _require_valid_json(root: etree._Element, name: str, source: str, raw: bytes) -> None:
    """:func:`require_valid` for a document given as JSON: the XML made from it has lines
    of its own, so the problem is placed by its JSON path and the line of that key."""
    schema = compiled(name)
    if schema.validate(root):
        return
    found = list(schema.error_log)
    steps = _steps(found[0].path)
    where = "$" + "".join(f".{step}" + (f"[{n - 1}]" if n else "") for step, n in steps)
    message = re.sub(r"^Element '[^']*': ", "", _clean(found[0].message))
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    raise InputError(
        f"does not fit {name}: at {where}: {message}{more}",
        path=source,
        line=_json_line(raw.decode("utf-8-sig", errors="replace"), steps),
        code="INPUT-004",
    )


_STEP = re.compile(r"/(?:\{[^}]*\}|[^/:\[]*:)?([^/\[]+)(?:\[(\d+)\])?")


def _steps(path: str | None) -> list[tuple[str, int | None]]:
    """(element, position among its like-named siblings) below the document element of a
    path as libxml2 ("/ns0:distribution/ns0:sent[2]/ns0:sent_on") or xmlschema writes it."""
    found = [
        (m.group(1), int(m.group(2)) if m.group(2) else None) for m in _STEP.finditer(path or "")
    ]
    return found[1:]


def is_json(raw: bytes) -> bool:
    """Whether a document is given in its JSON form (told apart by its first character)."""
    return raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def _json_line(text: str, steps: list[tuple[str, int | None]]) -> int | None:
    """The line of the JSON value that became the element at ``steps`` (name, position
    among its like-named siblings): a repeated element is an item of a JSON array."""
    from ictb import jsonconfig

    def matches(path: tuple[str | int, ...]) -> bool:
        rest = list(path)
        for step, (element, position) in enumerate(steps):
            if not rest or rest.pop(0) != element:
                return False
            if rest and isinstance(rest[0], int):
                if rest.pop(0) != (position or 1) - 1:
                    return False
            elif position not in (None, 1):
                return False
            if step == len(steps) - 1:
                return not rest
        return not rest

    try:
        return next(
            (line for path, _, line, _ in jsonconfig.positions(text) if matches(path)), None
        )
    except (ValueError, IndexError):
        return None


def _through_model(
    raw: bytes, name: str, ns: str, root_tag: str, model: type
) -> etree._Element | None:
    from ictb import jsonconfig, xmlmap

    try:
        obj, _ = jsonconfig.decode(raw, max_depth=xmlsafe.MAX_DEPTH)
        if isinstance(obj, dict):
            obj.pop("$schema", None)
        root = xmlmap.write(xmlmap.from_plain(model, obj), root_tag, ns)
    except ValueError:  # includes PlainMismatch and JsonProblem
        return None
    return root if compiled(name).validate(root) else None


@cache
def _xmlschema(name: str) -> Any:
    import xmlschema  # pure Python and slow to import: only for JSON documents

    return xmlschema.XMLSchema(str(xsd_dir() / name))


def json_to_xml(data: bytes, name: str, root_tag: str, ns: str, source: str) -> etree._Element:
    """Map a JSON document onto the schema and return the equivalent XML root element."""
    import xml.etree.ElementTree as ElementTree

    import xmlschema

    from ictb import jsonconfig

    if not data.lstrip(b"\xef\xbb\xbf \t\r\n"):
        raise InputError("empty document", path=source)
    try:
        obj, text = jsonconfig.decode(data, max_depth=xmlsafe.MAX_DEPTH)
    except jsonconfig.JsonProblem as refused:
        code = "INPUT-003" if refused.limit else "INPUT-001"
        raise InputError(str(refused), path=source, line=refused.line, code=code) from None
    if not isinstance(obj, dict):
        raise InputError("a JSON document must be an object", path=source, line=1)
    obj.pop("$schema", None)
    unholdable = _unholdable(obj)
    if unholdable is not None:
        keys, problem = unholdable
        where = "$" + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys)
        raise InputError(
            f"does not fit {name}: at {where}: {problem}, which no document can hold",
            path=source,
            line=_line_of(text, [k for k in keys if isinstance(k, str)]),
            code="INPUT-004",
        )
    obj = _without_empty_lists(obj)
    try:
        element, problems = _xmlschema(name).encode(
            obj,
            path=root_tag,
            namespaces={"": ns},
            converter=xmlschema.UnorderedConverter,
            validation="lax",
        )
    except (xmlschema.XMLSchemaException, ValueError, TypeError) as exc:
        problems = [exc]
    except ArithmeticError:  # a date whose year has a dozen digits (the schemas hold no floats)
        problems = [ValueError(f"{DATE_FORM} (a year out of range)")]
    if problems:
        first = problems[0]
        steps = _steps(getattr(first, "path", None))
        unknown = re.search(
            r"'(?:\{[^}]*\})?([^']+)' does not match any declared element",
            str(getattr(first, "reason", "") or first),
        )
        if unknown:
            # xmlschema points at the neighbouring element; the unknown key is in the parent
            steps = [*steps[:-1], (unknown.group(1), None)]
        line = _json_line(text, steps) or _line_of(text, [step for step, _ in steps])
        raise InputError(
            f"does not fit {name}: {_reason(first)}", path=source, line=line, code="INPUT-004"
        )
    if element is None:
        raise InputError(f"does not fit {name}", path=source, code="INPUT-004")
    xml_bytes = ElementTree.tostring(element, encoding="utf-8")
    return xmlsafe.parse_bytes(xml_bytes, source)


def xml_to_json_obj(root: etree._Element, name: str) -> dict[str, Any]:
    """The JSON form of a schema-valid document."""
    decoded = _xmlschema(name).decode(etree.tostring(root).decode("utf-8"), strip_namespaces=True)
    return dict(decoded)


def _unholdable(value: Any, keys: tuple[str | int, ...] = ()) -> tuple[list[str | int], str] | None:
    """The first string (key or value) of decoded JSON holding a character XML cannot
    (a control character, an unpaired surrogate from a "\\ud800" escape), with its path."""
    if isinstance(value, str):
        problem = xmlsafe.char_problem(value)
        return (list(keys), problem) if problem is not None else None
    if not isinstance(value, dict | list):
        return None
    items: Any = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if isinstance(key, str):
            problem = xmlsafe.char_problem(key)
            if problem is not None:
                return [*keys], f"a key with {problem}"
        found = _unholdable(item, (*keys, key))
        if found is not None:
            return found
    return None


def _without_empty_lists(value: Any) -> Any:
    """An empty JSON array means no elements (xmlschema would write one empty element)."""
    if isinstance(value, dict):
        return {k: _without_empty_lists(v) for k, v in value.items() if v != []}
    if isinstance(value, list):
        return [_without_empty_lists(v) for v in value]
    return value


def _reason(exc: Any) -> str:
    reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
    path = getattr(exc, "path", None)
    text = _temporal_form(getattr(exc, "validator", None)) or _clean(str(reason))
    text = re.sub(
        r"value doesn't match any pattern of \[.*\]",
        "value does not match the required pattern",
        text,
    )
    if "does not match any declared element" not in text:
        # xmlschema quotes the rejected value, or prints a number as is: never show it.
        text = re.sub(r"'[^']*'|\b\d{4,}\b", "(value not shown)", text)
        text = re.sub(
            r" for <class [^>]*>| is not an instance of <class [^>]*>", " is not valid here", text
        )
    return f"at {_json_path(path)}: {text}" if path else text


def _path_parts(path: str | None) -> list[str]:
    # xmlschema paths look like "/credential_record/provider/name[2]"; drop the root.
    if not path:
        return []
    return [p.split("}")[-1].split("[")[0] for p in str(path).strip("/").split("/")[1:]]


def _json_path(path: str) -> str:
    parts = _path_parts(path)
    return "$" + "".join(f".{p}" for p in parts) if parts else "$"


def _line_of(text: str, parts: list[str]) -> int | None:
    """The line of the innermost key of ``parts``, found by searching in document order."""
    position = -1
    for part in parts:
        found = text.find(f'"{part}"', position + 1)
        if found < 0:
            break
        position = found
    return text.count("\n", 0, position) + 1 if position >= 0 else None
