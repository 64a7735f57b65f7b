"""Readers for the documents that give ``check`` its context (``xsd/check-context.xsd``).

Renewal confirmations, the sending MTF's distribution record and the gaining
facility's grant, each as XML or JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from ictb import schema, xmlmap, xmlsafe
from ictb.model import Distribution, GainingGrant, RenewalConfirmations

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
