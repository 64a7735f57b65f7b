"""Readers for the documents that give ``check`` its context (``xsd/check-context.xsd``).

Renewal confirmations, the sending MTF's distribution record and the gaining
facility's grant, each as XML or JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

from ictb import schema, xmlmap, xmlsafe
from ictb.errors import MissingInputError
from ictb.model import Distribution, DistributionEntry, GainingGrant, RenewalConfirmations
from ictb.outputs import atomic_write

T = TypeVar("T")


def _load(path: Path, cls: type[T], root_tag: str) -> T:
    raw = xmlsafe.read_input(path)
    root = schema.parse_document(raw, str(path), schema.CONTEXT_XSD, schema.CONTEXT_NS, root_tag)
    return xmlmap.read(cls, root)


def load_confirmations(path: Path) -> RenewalConfirmations:
    return _load(path, RenewalConfirmations, "renewal_confirmations")


def load_distribution(path: Path) -> Distribution:
    return _load(path, Distribution, "distribution")


def load_grant(path: Path) -> GainingGrant:
    return _load(path, GainingGrant, "gaining_grant")


def save_distribution(path: Path, distribution: Distribution) -> None:
    """Write the record atomically, as JSON when the file name ends in .json, else XML."""
    root = xmlmap.write(distribution, "distribution", schema.CONTEXT_NS)
    if path.suffix.lower() == ".json":
        obj = schema.xml_to_json_obj(root, schema.CONTEXT_XSD)
        data = (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    else:
        data = xmlsafe.serialize(root)
    atomic_write(path, data, overwrite=True)


def record_sent(path: Path, entries: list[DistributionEntry]) -> None:
    """Add ICTBs sent to the sending MTF's distribution record (created if missing)."""
    try:
        exists = path.exists()
    except OSError as exc:  # e.g. a name longer than the file system takes
        raise MissingInputError(f"cannot read: {exc.strerror}", path=str(path)) from None
    current = load_distribution(path) if exists else Distribution()
    save_distribution(path, Distribution(sent=(*current.sent, *entries)))
