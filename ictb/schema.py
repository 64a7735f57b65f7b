"""The document schemas in ``xsd/``: compiled once per process, validated with libxml2.

Per-document validation uses lxml (libxml2), which is fast.  ``xmlschema`` (pure
Python) is used only to map JSON to and from XML, since one schema defines both forms.
"""

from __future__ import annotations

import json
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


def _clean(message: str) -> str:
    message = _NAMESPACE.sub("", message)
    return _QUOTED_VALUE.sub(r"\1(value not shown)\2", message)


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
    first = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not first:
        raise InputError("empty document", path=source)
    if first in (b"{", b"["):
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
    require_valid(root, name, source)
    return root


def _through_model(
    raw: bytes, name: str, ns: str, root_tag: str, model: type
) -> etree._Element | None:
    from ictb import xmlmap

    try:
        obj = json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_no_duplicate_keys)
        if isinstance(obj, dict):
            obj.pop("$schema", None)
        root = xmlmap.write(xmlmap.from_plain(model, obj), root_tag, ns)
    except (ValueError, UnicodeDecodeError):  # includes PlainMismatch and JSON errors
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

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 JSON: {exc.reason}", path=source) from None
    if not text.strip():
        raise InputError("empty document", path=source)
    try:
        obj = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path=source, line=exc.lineno) from None
    except _DuplicateKeyError as exc:
        raise InputError(f"duplicate key {exc.args[0]!r}", path=source) from None
    if not isinstance(obj, dict):
        raise InputError("a JSON document must be an object", path=source, line=1)
    obj.pop("$schema", None)
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
    if problems:
        first = problems[0]
        parts = _path_parts(getattr(first, "path", None))
        unknown = re.search(
            r"'(?:\{[^}]*\})?([^']+)' does not match any declared element",
            str(getattr(first, "reason", "") or first),
        )
        if unknown:
            # xmlschema points at the neighbouring element; the unknown key is in the parent
            parts = [*parts[:-1], unknown.group(1)] if parts else [unknown.group(1)]
        line = _line_of(text, parts)
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


def _without_empty_lists(value: Any) -> Any:
    """An empty JSON array means no elements (xmlschema would write one empty element)."""
    if isinstance(value, dict):
        return {k: _without_empty_lists(v) for k, v in value.items() if v != []}
    if isinstance(value, list):
        return [_without_empty_lists(v) for v in value]
    return value


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


def _reason(exc: Any) -> str:
    reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
    path = getattr(exc, "path", None)
    text = _clean(str(reason))
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
