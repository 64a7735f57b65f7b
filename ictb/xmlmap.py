"""Mapping between the dataclasses of :mod:`ictb.model` and XML elements.

Element names are the dataclass field names (or their ``xml`` metadata), in field
order, which follows the schemas' sequences.  Both document codecs use this one
mapping, so a field is named in exactly one place.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from lxml import etree

from ictb import dates

T = TypeVar("T")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    xml: str
    wrapper: str | None
    type: Any  # the item type (for tuples) or the plain type (Optional removed)
    repeated: bool  # repeated child elements
    xs_list: bool  # one element holding a whitespace-separated list
    personal: str | None
    personal_if: str | None
    nested: bool  # the item type is itself a model dataclass


def specs(cls: type) -> tuple[FieldSpec, ...]:
    """The mapped fields of a model dataclass (computed once per class)."""
    return _specs(cls)


@cache
def _specs(cls: Any) -> tuple[FieldSpec, ...]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        hint = _strip_optional(hints[f.name])
        repeated = xs_list = False
        if typing.get_origin(hint) is tuple:
            item = typing.get_args(hint)[0]
            if "xml" in f.metadata:
                repeated = True
            else:
                xs_list = True
            hint = item
        out.append(
            FieldSpec(
                name=f.name,
                xml=f.metadata.get("xml", f.name),
                wrapper=f.metadata.get("wrapper"),
                type=hint,
                repeated=repeated,
                xs_list=xs_list,
                personal=f.metadata.get("personal"),
                personal_if=f.metadata.get("personal_if"),
                nested=dataclasses.is_dataclass(hint),
            )
        )
    return tuple(out)


def _strip_optional(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


# ---------------------------------------------------------------- scalars


def scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dt.datetime):
        return dates.as_utc(value).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def scalar_value(kind: Any, text: str) -> Any:
    text = text.strip()
    if kind is bool:
        return text in ("true", "1")
    if kind is int:
        return int(text)
    if kind is bytes:  # xs:base64Binary, already checked by the schema
        return base64.b64decode("".join(text.split()))
    if kind is dt.datetime:
        return dates.as_utc(dt.datetime.fromisoformat(text))
    if kind is dt.date:
        return dt.date.fromisoformat(text)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(text)
    return text


def localname(node: etree._Element) -> str:
    tag = node.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# ---------------------------------------------------------------- personal data hooks

# write: (personal field name, value) -> ref to put on the slot element
PersonalWriter = Callable[[str, Any], str]
# read: (personal field name, ref, value type) -> value, or None when withheld
PersonalReader = Callable[[str, str, Any], Any]


# ---------------------------------------------------------------- writing


def write(
    obj: Any,
    tag: str,
    ns: str,
    *,
    personal: PersonalWriter | None = None,
    exclude: frozenset[str] = frozenset(),
) -> etree._Element:
    """Build the element ``tag`` for a dataclass instance (``ns`` as default namespace)."""
    element = etree.Element(f"{{{ns}}}{tag}", nsmap={None: ns})
    fill(element, obj, ns, personal=personal, exclude=exclude)
    return element


def fill(
    element: etree._Element,
    obj: Any,
    ns: str,
    *,
    personal: PersonalWriter | None = None,
    exclude: frozenset[str] = frozenset(),
) -> None:
    """Append the children for ``obj``'s fields to ``element``."""
    for spec in specs(type(obj)):
        if spec.name in exclude:
            continue
        value = getattr(obj, spec.name)
        if value is None or ((spec.repeated or spec.xs_list) and not value):
            continue
        pfield = spec.personal
        if spec.personal_if and getattr(obj, "personal_field", None) == spec.personal_if:
            pfield = spec.personal_if
        if personal is not None and pfield is not None:
            name = spec.personal_if if pfield == spec.personal_if else spec.xml
            slot = etree.SubElement(element, f"{{{ns}}}{name}")
            slot.set("ref", personal(pfield, value))
            continue
        parent = element
        if spec.wrapper:
            parent = etree.SubElement(element, f"{{{ns}}}{spec.wrapper}")
        if spec.xs_list:
            etree.SubElement(parent, f"{{{ns}}}{spec.xml}").text = " ".join(
                scalar_text(v) for v in value
            )
            continue
        for item in value if spec.repeated else (value,):
            if dataclasses.is_dataclass(item):
                child = etree.SubElement(parent, f"{{{ns}}}{spec.xml}")
                fill(child, item, ns, personal=personal)
            else:
                etree.SubElement(parent, f"{{{ns}}}{spec.xml}").text = scalar_text(item)


# ---------------------------------------------------------------- reading


@cache
def _by_element(cls: Any) -> dict[str, FieldSpec]:
    """Each field under the element name that carries it (a wrapper names its list)."""
    plan = {spec.wrapper or spec.xml: spec for spec in specs(cls)}
    # In an ICTB the DEA number's slot has its own element name (personal_if).
    plan.update({spec.personal_if: spec for spec in specs(cls) if spec.personal_if})
    return plan


def read(
    cls: type[T],
    element: etree._Element,
    *,
    personal: PersonalReader | None = None,
) -> T:
    """Build a dataclass instance from a schema-valid element.

    The schema has checked the structure, so this walks the element's children once and
    converts each by its field (the common path of every document read).
    """
    plan = _by_element(typing.cast(Any, cls))
    kwargs: dict[str, Any] = {}
    many: dict[str, list[Any]] = {}
    for child in element:
        tag = child.tag
        if type(tag) is not str:
            continue  # a comment or processing instruction
        name = tag[tag.find("}") + 1 :]
        spec = plan.get(name)
        if spec is None:
            continue
        # A withholdable value: in an ICTB its element is a slot pointing at the value.
        slot_field = name if spec.personal_if == name else spec.personal
        if slot_field is not None:
            if personal is not None:
                kwargs[spec.name] = personal(slot_field, child.get("ref", ""), spec.type)
                continue
            if spec.personal_if == name:
                continue
        if spec.wrapper:
            items_of = [n for n in child if n.tag.__class__ is str and localname(n) == spec.xml]
            many.setdefault(spec.name, []).extend(_convert(spec, n, personal) for n in items_of)
        elif spec.repeated:
            many.setdefault(spec.name, []).append(_convert(spec, child, personal))
        elif spec.xs_list:
            kwargs[spec.name] = tuple(scalar_value(spec.type, t) for t in text_of(child).split())
        else:
            kwargs[spec.name] = _convert(spec, child, personal)
    for name, values in many.items():
        kwargs[name] = tuple(values)
    return cls(**kwargs)


def _convert(spec: FieldSpec, node: etree._Element, personal: PersonalReader | None) -> Any:
    if spec.nested:
        return read(spec.type, node, personal=personal)
    return scalar_value(spec.type, text_of(node))


def text_of(node: etree._Element) -> str:
    """All the element's own text nodes: a comment or processing instruction inside the
    text neither truncates it nor adds to it (as in canonical XML without comments)."""
    if len(node) == 0:  # no child nodes at all, so no comment either: the common case
        return node.text or ""
    return "".join(str(t) for t in node.xpath("text()"))


# ---------------------------------------------------------------- from JSON data


class PlainMismatch(ValueError):
    """JSON data that the fast mapping does not take as is (the schema decides)."""


def from_plain(cls: type[T], data: Any) -> T:
    """Build a dataclass from decoded JSON in the documents' JSON form, strictly.

    Anything unexpected (an unknown key, a value of another type, a single item where an
    array is due) raises :class:`PlainMismatch`; the caller then maps the JSON through
    the schema itself, which explains the problem precisely.
    """
    if not isinstance(data, dict):
        raise PlainMismatch(cls.__name__)
    by_key = {spec.wrapper or spec.xml: spec for spec in specs(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        spec = by_key.get(key)
        if spec is None:
            raise PlainMismatch(key)
        if value == []:
            continue  # an empty array means no elements
        if spec.wrapper:
            if not isinstance(value, dict) or set(value) - {spec.xml}:
                raise PlainMismatch(key)
            value = value.get(spec.xml, [])
        if spec.repeated or spec.xs_list:
            if not isinstance(value, list):
                raise PlainMismatch(key)
            kwargs[spec.name] = tuple(_plain_value(spec, item) for item in value)
        else:
            kwargs[spec.name] = _plain_value(spec, value)
    try:
        return cls(**kwargs)
    except TypeError:  # a required field is missing
        raise PlainMismatch(cls.__name__) from None


def _plain_value(spec: FieldSpec, value: Any) -> Any:
    kind = spec.type
    if spec.nested:
        return from_plain(kind, value)
    if kind is bool:
        if isinstance(value, bool):
            return value
    elif kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif isinstance(value, str):
        try:
            if kind is dt.date:
                if dates.ISO_DATE.fullmatch(value):
                    return dt.date.fromisoformat(value)
            elif kind is str:
                return value
            elif isinstance(kind, type) and issubclass(kind, enum.Enum):
                return kind(value)
        except ValueError:
            pass
    raise PlainMismatch(spec.name)
