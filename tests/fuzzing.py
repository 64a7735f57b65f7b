"""Fuzzing the ``ictb`` command line: every kind of input it reads, mutated and run.

Shared by ``tools/fuzz.py`` (long runs: thousands of inputs, failures saved to a
folder) and ``tests/test_fuzz.py`` (bounded property tests).  A *kind* is one input
the command line reads: a credential record, a roster CSV, an unsigned or signed ICTB,
a release copy, a detailee packet, a mission roster, a check-context file, a policy
file, a redaction profile file, a certificate, a trust store, a key, a passphrase
file, a date or period option, a free-text option or a path.  From a seed, a kind
makes a :class:`Case` (the files and the command line of one run), and
:func:`run_case` runs it in-process through ``ictb.cli.main``.

A run is *internal* when it exits 4 (or with a code outside 0-3), prints a traceback or
"internal error", or raises out of ``main``: a bug, whatever the input.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import csv
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DEMO_KEYS = ROOT / "keys"
PASSPHRASE = b"ictb-demo-only-not-a-secret"  # the published demo passphrase (keys/README.md)

# Every run is pinned: the dates of the samples, and a fixed clock where the CLI has one.
AS_OF = "2026-11-22"
MISSION_DAY = "2027-01-03"
DHS_DAY = "2026-12-20"
SIGNED_AT = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
PERIOD = "2026-12-07..2026-12-18"

ICTB_NS = "urn:ictb:ictb:1"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"

# ---------------------------------------------------------------- odd values

ODD_DATES: tuple[str, ...] = (
    "",
    "0000-00-00",
    "0000-01-01",
    "2026-02-29",
    "2024-02-30",
    "2024-02-29",
    "1900-02-29",
    "9999-12-31",
    "9999-12-30",
    "9999-12-01",
    "0001-01-01",
    "0001-01-02",
    "10000-01-01",
    "-0001-01-01",
    "2026-12-07Z",
    "2026-12-07+14:00",
    "2026-12-07-14:00",
    "2026-12-07T00:00:00",
    "2026-12-07T24:00:00Z",
    " 2026-12-07",
    "2026-12-07 ",
    "2026-12-07\n",
    "2026-1-7",
    "20261207",
    "2026-13-01",
    "2026-12-32",
    "2026-W49-1",
    "+2026-12-07",
    "\u0662\u0660\u0662\u0666-\u0661\u0662-\u0660\u0667",  # Arabic-Indic digits
)

ODD_DATETIMES: tuple[str, ...] = (
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00Z",
    "2026-11-22T24:00:00Z",
    "2026-11-22T14:30:00.1234567Z",
    "2026-11-22T14:30:00",
    "2026-11-22T14:30:00+14:00",
    "2026-11-22T14:30:00-23:59",
    "10000-01-01T00:00:00Z",
    "-0001-01-01T00:00:00Z",
    "2026-11-22",
)

ODD_TEXTS: tuple[str, ...] = (
    "",
    " ",
    "\t",
    "x" * 70000,
    "\x00",
    "a\x01b",
    "\x1b[2J",
    "\x7f",
    "\x85",
    "\ud800",
    "a\udfffb",
    "\udcff",
    "\ufffe",
    "\uffff",
    "\U0010ffff",
    "\u202egnp.exe",
    "e\u0301",
    "\u2028",
    "\U0001f600",
    "\U0001d7da\U0001d7d8\U0001d7da\U0001d7de",
    "<tag>",
    "&amp;",
    "]]>",
    "'\"",
    "%s%n{0}",
    "../../x",
    "-",
    "--help",
    "NaN",
    "-1",
    "0",
    "1e999",
    "9" * 5000,
    "true",
    "null",
    "\r\n",
    "123-45-6789",
    "  padded  ",
)

# Raw XML put where a text node was: character references, markup and bad bytes.
ODD_XML_RAW: tuple[bytes, ...] = (
    b"&#0;",
    b"&#x1b;",
    b"&#xD800;",
    b"&#x110000;",
    b"&lt;",
    b"<![CDATA[2026-12-07]]>",
    b"<!-- c -->2026-12-07",
    b"2026<?pi x?>-12-07",
    b"&undefined;",
    b"<child/>",
    b"\xff\xfe",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    b"\x00",
    b"\x1b",
)


# Valid dates at the ends of the calendar, where date arithmetic overflows.
EXTREME_DATES: tuple[str, ...] = (
    "9999-12-31",
    "9999-12-30",
    "9999-12-01",
    "9999-01-31",
    "0001-01-01",
    "0001-01-02",
    "0001-12-31",
)
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Raw:
    """A JSON token written as is (NaN, a 5000-digit number, deep nesting...)."""

    def __init__(self, text: str) -> None:
        self.text = text


ODD_JSON: tuple[Any, ...] = (
    0,
    -1,
    1,
    2**63,
    -(2**63) - 1,
    10**30,
    1.5,
    -0.0,
    1e308,
    Raw("NaN"),
    Raw("Infinity"),
    Raw("-Infinity"),
    Raw("1e99999"),
    Raw("1" + "0" * 5000),
    Raw("[" * 3000 + "]" * 3000),
    Raw('{"a":' * 3000 + "1" + "}" * 3000),
    None,
    True,
    False,
    [],
    {},
    [None],
    {"": 1},
    ["2026-12-07"],
    {"value": "2026-12-07"},
)


def odd_scalar(rng: random.Random) -> Any:
    """A value for a JSON field: an odd date, an odd text or an odd JSON value."""
    pick = rng.random()
    if pick < 0.4:
        return rng.choice(ODD_DATES)
    if pick < 0.45:
        return rng.choice(ODD_DATETIMES)
    if pick < 0.75:
        return rng.choice(ODD_TEXTS)
    return copy.deepcopy(rng.choice(ODD_JSON))


def odd_text(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.45:
        return rng.choice(ODD_DATES)
    if pick < 0.5:
        return rng.choice(ODD_DATETIMES)
    return rng.choice(ODD_TEXTS)


def encode(text: str) -> bytes:
    """UTF-8, with lone surrogates kept (as the invalid bytes a file may hold)."""
    return text.encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------- byte mutations


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """One blind change: flip, delete, duplicate, truncate, insert or splice bytes."""
    buf = bytearray(data)
    op = rng.randrange(8)
    n = len(buf)
    if n == 0:
        return bytes(rng.choice((b"{", b"<", b"\x00", b"\xef\xbb\xbf", b" ")))
    i = rng.randrange(n)
    j = min(n, i + rng.choice((1, 2, 4, 16, 64, 512)))
    if op == 0:
        buf[i] ^= 1 << rng.randrange(8)
    elif op == 1:
        del buf[i:j]
    elif op == 2:
        buf[i:i] = buf[i:j] * rng.choice((1, 2, 10))
    elif op == 3:
        del buf[i:]
    elif op == 4:
        buf[i:i] = rng.choice(
            (b"\x00", b"\x01", b"\x1b", b"\x7f", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\r", b"\n")
        )
    elif op == 5:
        buf[i] = rng.randrange(256)
    elif op == 6:
        buf[i:i] = encode(odd_text(rng))
    else:
        k = rng.randrange(n)
        buf[i:j], buf[k : k + (j - i)] = buf[k : k + (j - i)], buf[i:j]
    return bytes(buf)


def mutate_lines(rng: random.Random, data: bytes) -> bytes:
    """Line-level changes for PEM and CSV: drop, repeat, swap, or alter a line."""
    lines = data.split(b"\n")
    if not lines:
        return mutate_bytes(rng, data)
    i = rng.randrange(len(lines))
    op = rng.randrange(5)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[i])
    elif op == 2:
        k = rng.randrange(len(lines))
        lines[i], lines[k] = lines[k], lines[i]
    elif op == 3 and lines[i]:
        chars = bytearray(lines[i])
        p = rng.randrange(len(chars))
        chars[p] = rng.choice(b"ABCDEFGHabcdefgh0123456789+/=-")
        lines[i] = bytes(chars)
    else:
        lines[i] = mutate_bytes(rng, lines[i])
    return b"\n".join(lines)


# ---------------------------------------------------------------- JSON mutations


def _json_nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _json_nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_nodes(item, (*path, index))


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _get(doc, path[:-1])[path[-1]] = value
    return doc


def mutate_json_value(rng: random.Random, doc: Any) -> Any:
    """One structural change to decoded JSON."""
    nodes = list(_json_nodes(doc))
    scalars = [(p, v) for p, v in nodes if not isinstance(v, dict | list)]
    op = rng.randrange(11)
    if op <= 3 and scalars:  # replace a scalar with an odd value (the common case)
        path, _ = rng.choice(scalars)
        return _set(doc, path, odd_scalar(rng))
    if op == 10:  # sound dates at the ends of the calendar
        for path, value in scalars:
            if isinstance(value, str) and _DATE_TEXT.fullmatch(value) and rng.random() < 0.6:
                _set(doc, path, rng.choice(EXTREME_DATES))
        return doc
    path, value = rng.choice(nodes)
    if op == 4 and path:  # remove a key or an item
        del _get(doc, path[:-1])[path[-1]]
        return doc
    if op == 5 and path:  # duplicate: an item again, or a value under another key
        parent = _get(doc, path[:-1])
        if isinstance(parent, list):
            parent.insert(path[-1], copy.deepcopy(value))
        else:
            other = rng.choice([p for p, _ in nodes if p])
            _set(doc, other, copy.deepcopy(value))
        return doc
    if op == 6 and len(nodes) > 2:  # swap two values between fields
        a, b = rng.sample([p for p, _ in nodes if p], 2)
        if a[: len(b)] == b or b[: len(a)] == a:
            return doc
        va, vb = copy.deepcopy(_get(doc, a)), copy.deepcopy(_get(doc, b))
        _set(doc, a, vb)
        return _set(doc, b, va)
    if op == 7:  # a value of another shape: array, object
        return _set(doc, path, rng.choice(([value], {"value": value}, [value, value])))
    if op == 8 and isinstance(value, dict):  # an unknown or odd key
        value[rng.choice(("unknown", "", "$schema", "\x00", "\ud800", "line", "ref"))] = odd_scalar(
            rng
        )
        return doc
    if op == 9 and isinstance(value, list) and value:  # an empty list, or reordered
        if rng.random() < 0.5:
            value.clear()
        else:
            rng.shuffle(value)
        return doc
    if scalars:
        path, _ = rng.choice(scalars)
        return _set(doc, path, odd_scalar(rng))
    return doc


def dump_json(rng: random.Random, doc: Any) -> bytes:
    raws: list[str] = []

    def default(value: Any) -> Any:
        if isinstance(value, Raw):
            raws.append(value.text)
            return f"@@RAW{len(raws) - 1}@@"
        raise TypeError(type(value).__name__)

    def walk(value: Any) -> Any:
        if isinstance(value, Raw):
            return default(value)
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**4000:
            return default(Raw(str(value)))
        return value

    text = json.dumps(walk(doc), indent=rng.choice((None, 2)), ensure_ascii=rng.random() < 0.5)
    for index, raw in enumerate(raws):
        text = text.replace(f'"@@RAW{index}@@"', raw)
    return encode(text)


def mutate_json(rng: random.Random, data: bytes) -> bytes:
    """Structural changes (most of the time) or blind byte changes to a JSON document."""
    if rng.random() < 0.15:
        return mutate_bytes(rng, data)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return mutate_bytes(rng, data)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        doc = mutate_json_value(rng, doc)
    return dump_json(rng, doc)


# ---------------------------------------------------------------- XML mutations


def parse_xml(data: bytes) -> etree._Element | None:
    from ictb import xmlsafe
    from ictb.errors import InputError

    try:
        return xmlsafe.parse_bytes(data, "<fuzz>")
    except InputError:
        return None


def mutate_xml_tree(rng: random.Random, root: etree._Element, raws: list[bytes]) -> None:
    """One structural change to an element tree, in place.

    A text that lxml cannot hold (control characters, markup) is set as a marker and
    listed in ``raws``; :func:`dump_xml` writes it in afterwards.
    """
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    leaves = [e for e in elements if len(e) == 0]
    op = rng.randrange(13)
    target = rng.choice(elements)
    parent = target.getparent()
    if op == 12:  # sound dates at the ends of the calendar
        for leaf in leaves:
            if _DATE_TEXT.fullmatch((leaf.text or "").strip()) and rng.random() < 0.6:
                leaf.text = rng.choice(EXTREME_DATES)
    elif op <= 3 and leaves:  # an odd text in a leaf (the common case)
        leaf = rng.choice(leaves)
        if rng.random() < 0.8:
            raw = encode(odd_text(rng))
            raw = raw.replace(b"&", b"&amp;").replace(b"<", b"&lt;")
        else:
            raw = rng.choice(ODD_XML_RAW)
        raws.append(raw)
        leaf.text = f"@@RAW{len(raws) - 1}@@"
    elif op == 4 and parent is not None:  # remove an element
        parent.remove(target)
    elif op == 5 and parent is not None:  # duplicate an element
        target.addnext(copy.deepcopy(target))
    elif op == 6 and len(leaves) > 1:  # swap the texts of two leaves
        a, b = rng.sample(leaves, 2)
        a.text, b.text = b.text, a.text
    elif op == 7 and parent is not None:  # move an element elsewhere
        others = [e for e in elements if target not in e.iterancestors() and e is not target]
        if others:
            destination = rng.choice(others)
            parent.remove(target)
            destination.insert(rng.randrange(len(destination) + 1), target)
    elif op == 8:  # rename an element to another name of the document
        names = sorted({e.tag for e in elements if isinstance(e.tag, str)})
        target.tag = rng.choice(names)
    elif op == 9:  # an odd or removed attribute
        names = sorted({n for e in elements for n in e.attrib} | {"ref", "Id", "source", "id"})
        name = rng.choice(names)
        if name in target.attrib and rng.random() < 0.4:
            del target.attrib[name]
        else:
            raws.append(encode(odd_text(rng)).replace(b"&", b"&amp;").replace(b'"', b"&quot;"))
            target.set(name, f"@@RAW{len(raws) - 1}@@")
    elif op == 10:  # a comment or processing instruction inside
        node = rng.choice((etree.Comment(" c "), etree.ProcessingInstruction("pi", "x")))
        target.insert(rng.randrange(len(target) + 1), node)
    else:  # empty an element, or add an unknown child
        if rng.random() < 0.5:
            for child in list(target):
                target.remove(child)
            target.text = None
        else:
            etree.SubElement(target, rng.choice((target.tag, "{urn:x}unknown", "unknown")))


def dump_xml(root: etree._Element, raws: list[bytes]) -> bytes:
    data = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
    for index, raw in enumerate(raws):
        data = data.replace(f"@@RAW{index}@@".encode(), raw)
    return data


def mutate_xml(rng: random.Random, data: bytes) -> bytes:
    """Structural changes (most of the time) or blind byte changes to an XML document."""
    if rng.random() < 0.15:
        return mutate_bytes(rng, data)
    root = parse_xml(data)
    if root is None:
        return mutate_bytes(rng, data)
    raws: list[bytes] = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        mutate_xml_tree(rng, root, raws)
    return dump_xml(root, raws)


# ---------------------------------------------------------------- CSV mutations


def mutate_csv(rng: random.Random, data: bytes) -> bytes:
    if rng.random() < 0.15:
        return rng.choice((mutate_bytes, mutate_lines))(rng, data)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8", "surrogateescape"))))
    if not rows:
        return mutate_bytes(rng, data)
    for _ in range(rng.choice((1, 1, 2, 3))):
        r = rng.randrange(len(rows))
        row = rows[r]
        op = rng.randrange(8)
        if op <= 2 and row:
            row[rng.randrange(len(row))] = odd_text(rng)
        elif op == 7 and row:  # one odd character inside an otherwise sound field
            i = rng.randrange(len(row))
            k = rng.randrange(len(row[i]) + 1)
            odd = rng.choice(("\x00", "\x01", "\x1b", "\x7f", "\ufffe", "\u2028", "\x85"))
            row[i] = row[i][:k] + odd + row[i][k:]
        elif op == 3 and row:
            del row[rng.randrange(len(row))]
        elif op == 4:
            rows.insert(r, list(row))
        elif op == 5 and len(rows) > 1:
            del rows[r]
        elif op == 6 and row:
            other = rows[rng.randrange(len(rows))]
            if other:
                i, k = rng.randrange(len(row)), rng.randrange(len(other))
                row[i], other[k] = other[k], row[i]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return encode(out.getvalue())


# ---------------------------------------------------------------- the workspace


class Workspace:
    """The seeds and fixed files every case refers to, made once in ``root/base``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.seeds: dict[str, list[tuple[str, bytes]]] = {}

    def __repr__(self) -> str:  # short: test reports print it
        return f"Workspace({str(self.root)!r})"

    @property
    def base(self) -> Path:
        return self.root / "base"

    @property
    def case(self) -> Path:
        return self.root / "case"

    def seed(self, rng: random.Random, name: str) -> tuple[str, bytes]:
        return rng.choice(self.seeds[name])

    def fresh_case(self) -> Path:
        shutil.rmtree(self.case, ignore_errors=True)
        self.case.mkdir(parents=True)
        # A roster names records, a mission roster its ICTBs, relative to its own folder.
        (self.case / "records").symlink_to(self.base / "records")
        (self.case / "ictbs").symlink_to(self.base / "mission" / "ictbs")
        for signed in (self.base / "detailee").glob("*.signed.ictb.xml"):
            (self.case / signed.name).symlink_to(signed)
        return self.case

    # -- signing material, loaded once

    @property
    def material(self) -> Any:
        from ictb import keys

        if not hasattr(self, "_material"):
            self._material = keys.load_signing_material(
                self.base / "keys" / "signer.key.pem",
                self.base / "keys" / "signer.pem",
                None,
                PASSPHRASE,
            )
        return self._material

    def resign(self, raw: bytes) -> bytes | None:
        """Sign a (mutated) ICTB as it is, without the rules ``ictb sign`` applies first,
        so that ``verify`` reads odd content behind a good signature.  None if the
        document cannot carry a signature (not well-formed, not schema-valid...)."""
        from ictb import disclosure, schema, xmldsig, xmlsafe

        try:
            root = xmlsafe.parse_bytes(raw, "<fuzz>")
            for old in root.findall(f"{{{DS_NS}}}Signature"):
                root.remove(old)
            if schema.errors(root, schema.ICTB_XSD):
                return None
            body = root.find(f"{{{ICTB_NS}}}brief")
            if body is None or not body.get("Id"):
                return None
            disclosure.bind(root, body)
            xmldsig.sign(
                root,
                body,
                self.material.key,
                [self.material.certificate],
                before=root.find(f"{{{ICTB_NS}}}release"),
            )
            return xmlsafe.serialize(root, pretty=False)
        except Exception:
            return None


def make_workspace(root: Path) -> Workspace:
    """Copy the samples and demo keys into ``root/base`` and derive the other seeds."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    from ictb import (
        check_context,
        ictb_xml,
        policy,
        redaction,
        schema,
        signing,
        xmlmap,
        xmlsafe,
    )
    from ictb.model import Distribution, DistributionEntry

    ws = Workspace(root)
    base = ws.base
    shutil.rmtree(root, ignore_errors=True)
    base.mkdir(parents=True)
    shutil.copytree(SAMPLES / "records", base / "records")
    shutil.copytree(SAMPLES / "mission", base / "mission")
    shutil.copytree(SAMPLES / "detailee", base / "detailee")
    key_dir = base / "keys"
    key_dir.mkdir()
    for name, target in (
        ("demo-signer.key.pem", "signer.key.pem"),
        ("demo-signer.pem", "signer.pem"),
        ("demo-ca.key.pem", "ca.key.pem"),
        ("demo-ca.pem", "ca.pem"),
    ):
        shutil.copyfile(DEMO_KEYS / name, key_dir / target)
        (key_dir / target).chmod(0o600 if target.endswith(".key.pem") else 0o644)
    (key_dir / "trust").mkdir()
    shutil.copyfile(DEMO_KEYS / "demo-ca.pem", key_dir / "trust" / "ca.pem")
    (key_dir / "passphrase.txt").write_bytes(PASSPHRASE + b"\n")
    material = ws.material
    p12 = pkcs12.serialize_key_and_certificates(
        b"signer", material.key, material.certificate, None, BestAvailableEncryption(PASSPHRASE)
    )
    (key_dir / "signer.p12").write_bytes(p12)
    (key_dir / "signer.p12").chmod(0o600)

    def read_all(folder: Path, pattern: str) -> list[tuple[str, bytes]]:
        return [(p.name, p.read_bytes()) for p in sorted(folder.glob(pattern))]

    invalid = SAMPLES / "invalid"
    ws.seeds["record-json"] = read_all(SAMPLES / "records", "*.json") + read_all(invalid, "*.json")
    ws.seeds["record-xml"] = read_all(SAMPLES / "records", "*.xml") + read_all(invalid, "*.xml")
    ws.seeds["roster-csv"] = [("roster.csv", (SAMPLES / "roster.csv").read_bytes())]
    unsigned = read_all(SAMPLES / "ictbs", "*.ictb.xml")
    ws.seeds["ictb"] = unsigned
    (base / "ictbs").mkdir()
    for name, data in unsigned:
        (base / "ictbs" / name).write_bytes(data)

    # Signed seeds: every sample ICTB certified with the demo key at SIGNED_AT, and the
    # mission's and the detailee sample's signed ICTBs.
    rules_policy = policy.default()
    signed: list[tuple[str, bytes]] = []
    for name, data in unsigned:
        document = ictb_xml.parse(data, name)
        result = signing.sign(
            ictb_xml.from_element(document, name),
            name,
            material,
            signed_at=SIGNED_AT,
            policy=rules_policy,
            document=document,
        )
        if result.xml is not None:
            signed.append((name.replace(".ictb.xml", ".signed.ictb.xml"), result.xml))
    signed += read_all(base / "mission" / "ictbs", "*.signed.ictb.xml")
    signed += read_all(base / "detailee", "*.signed.ictb.xml")
    ws.seeds["signed-ictb"] = signed
    (base / "signed").mkdir()
    for name, data in signed:
        (base / "signed" / name).write_bytes(data)

    profile = redaction.load_profile("host-nation")
    releases = []
    for name, data in signed:
        copy_ = redaction.redact(
            data,
            name,
            profile,
            released_to="Republic of Palau",
            released_by="CAPT A. Smdr",
            released_on=dt.date(2026, 11, 23),
        )
        if copy_.xml is not None:
            releases.append((name.replace(".signed.", ".release."), copy_.xml))
    ws.seeds["release"] = releases

    ws.seeds["detailee-xml"] = [
        item for item in read_all(SAMPLES / "detailee", "*.xml") if ".ictb." not in item[0]
    ]
    ws.seeds["detailee-json"] = read_all(SAMPLES / "detailee", "*.json")
    # Each packet in the other form too, so both forms start from every sample.
    from ictb import detailee

    for name, data in list(ws.seeds["detailee-xml"]):
        obj = schema.xml_to_json_obj(xmlsafe.parse_bytes(data, name), detailee.XSD)
        ws.seeds["detailee-json"].append((name + ".json", json.dumps(obj, indent=2).encode()))
    ws.seeds["mission-xml"] = [("roster.xml", (SAMPLES / "mission" / "roster.xml").read_bytes())]
    ws.seeds["mission-json"] = [("roster.json", (SAMPLES / "mission" / "roster.json").read_bytes())]

    # Check context, each as JSON and as XML.
    context = base / "context"
    context.mkdir()
    check = SAMPLES / "check"
    confirmations = check_context.load_confirmations(check / "renewal-confirmations.json")
    grant = check_context.load_grant(check / "gaining-grant-01.xml")
    distribution = Distribution(
        sent=(
            DistributionEntry(
                "5b7f3c1e-8a2d-4c6b-9e1f-0a2b3c4d5e6f", "N68094", dt.date(2026, 11, 22)
            ),
        )
    )
    for tag, obj in (
        ("renewal_confirmations", confirmations),
        ("gaining_grant", grant),
        ("distribution", distribution),
    ):
        element = xmlmap.write(obj, tag, schema.CONTEXT_NS)
        xml_data = etree.tostring(element, xml_declaration=True, encoding="UTF-8")
        as_json = schema.xml_to_json_obj(element, schema.CONTEXT_XSD)
        json_data = json.dumps(as_json, indent=2).encode()
        kind = {"renewal_confirmations": "confirmations", "gaining_grant": "grant"}.get(tag, tag)
        ws.seeds[f"{kind}-xml"] = [(f"{kind}.xml", xml_data)]
        ws.seeds[f"{kind}-json"] = [(f"{kind}.json", json_data)]
    ws.seeds["confirmations-json"].append(
        ("provider-says-renewed.json", (check / "provider-says-renewed.json").read_bytes())
    )
    ws.seeds["record-json"].append(
        ("12-record.json", (check / "12-record-with-summary-suspension.json").read_bytes())
    )
    check_context.save_distribution(context / "distribution.json", distribution)

    from importlib import resources

    data_dir = resources.files("ictb").joinpath("data")
    ws.seeds["policy"] = [("policy.json", data_dir.joinpath("policy.json").read_bytes())]
    ws.seeds["profile"] = [
        ("profiles.json", data_dir.joinpath("redaction-profiles.json").read_bytes())
    ]
    ws.seeds["trust"] = [("trust.pem", (key_dir / "ca.pem").read_bytes())]
    ws.seeds["cert"] = [("signer.pem", (key_dir / "signer.pem").read_bytes())]
    ws.seeds["key"] = [
        ("signer.key.pem", (key_dir / "signer.key.pem").read_bytes()),
        (
            "signer.key.der",
            material.key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                BestAvailableEncryption(PASSPHRASE),
            ),
        ),
    ]
    ws.seeds["pkcs12"] = [("signer.p12", p12)]
    ws.seeds["passphrase"] = [("passphrase.txt", PASSPHRASE + b"\n")]
    return ws


# ---------------------------------------------------------------- cases


@dataclass
class Case:
    """One run: files to write into the case folder, and the command line.

    In ``argv``, ``{case}`` and ``{base}`` stand for the case folder and the workspace's
    fixed files.
    """

    kind: str
    argv: list[str]
    files: dict[str, bytes] = field(default_factory=dict)
    modes: dict[str, int] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "argv": [a.encode("utf-8", "surrogatepass").hex() for a in self.argv],
            "argv_text": [a.encode("utf-8", "backslashreplace").decode() for a in self.argv],
            "files": sorted(self.files),
            "modes": self.modes,
            "env": {k: v.encode("utf-8", "surrogatepass").hex() for k, v in self.env.items()},
        }

    @classmethod
    def from_folder(cls, folder: Path) -> Case:
        meta = json.loads((folder / "case.json").read_text("utf-8"))
        return cls(
            kind=meta["kind"],
            argv=[bytes.fromhex(a).decode("utf-8", "surrogatepass") for a in meta["argv"]],
            files={name: (folder / "files" / name).read_bytes() for name in meta["files"]},
            modes={k: int(v) for k, v in meta["modes"].items()},
            env={
                k: bytes.fromhex(v).decode("utf-8", "surrogatepass") for k, v in meta["env"].items()
            },
        )


KEY = "{base}/keys/signer.key.pem"
CERT = "{base}/keys/signer.pem"
TRUST = "{base}/keys/trust"
PASS = "{base}/keys/passphrase.txt"
SIGN_ARGS = ["--key", KEY, "--cert", CERT, "--passphrase-file", PASS]
UNSIGNED = "{base}/ictbs/12-pediatrician-bls-expired--N68094.ictb.xml"
UNSIGNED_01 = "{base}/ictbs/01-physician-cardiology-fellowship--W1HTAA.ictb.xml"
SIGNED = "{base}/signed/12-pediatrician-bls-expired--N68094.signed.ictb.xml"
RECORD = "{base}/records/01-physician-cardiology-fellowship.json"


def build_args(record: str, rng: random.Random) -> list[str]:
    args = [
        "build",
        record,
        "--gaining-facility",
        "W1HTAA",
        "--gaining-name",
        "William Beaumont Army Medical Center",
        "--purpose",
        "Outpatient cardiology coverage",
        "--period",
        PERIOD,
        "--issued-on",
        AS_OF,
        "-o",
        "{case}/out.ictb.xml",
        "-j",
        "1",
    ]
    return args + _extras(rng, ("--format", "json"), ("--strict",))


def _extras(rng: random.Random, *options: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for option in options:
        if rng.random() < 0.3:
            out += option
    return out


def _file_case(
    kind: str, rng: random.Random, ws: Workspace, seed: str, mutate: Callable[..., bytes]
) -> tuple[str, bytes]:
    name, data = ws.seed(rng, seed)
    for _ in range(rng.choice((1, 1, 1, 2))):
        data = mutate(rng, data)
    return name, data


def case_record(kind: str, fmt: str) -> Callable[[random.Random, Workspace], Case]:
    def make(rng: random.Random, ws: Workspace) -> Case:
        mutate = mutate_json if fmt == "json" else mutate_xml
        _, data = _file_case(kind, rng, ws, kind, mutate)
        name = f"record.{fmt}"
        path = f"{{case}}/{name}"
        use = rng.randrange(4)
        if use <= 1:
            argv = build_args(path, rng)
        elif use == 2:
            argv = ["convert", path, "--to", rng.choice(("json", "xml")), "-o", "{case}/out"]
        else:
            argv = ["check", UNSIGNED_01, "--record", path, "--as-of", AS_OF]
            argv += _extras(rng, ("--format", "json"))
        return Case(kind, argv, {name: data})

    return make


def case_roster(rng: random.Random, ws: Workspace) -> Case:
    _, data = _file_case("roster-csv", rng, ws, "roster-csv", mutate_csv)
    argv = ["build", "--roster", "{case}/roster.csv", "--issued-on", AS_OF]
    argv += ["--out-dir", "{case}/out", "-j", "1"]
    argv += _extras(rng, ("--format", "json"), ("--distribution", "{case}/distribution.json"))
    return Case("roster-csv", argv, {"roster.csv": data})


def case_ictb(rng: random.Random, ws: Workspace) -> Case:
    _, data = _file_case("ictb", rng, ws, "ictb", mutate_xml)
    path = "{case}/brief.ictb.xml"
    use = rng.randrange(5)
    if use <= 2:
        argv = ["check", path, "--as-of", rng.choice((AS_OF, "2026-12-28", "2027-06-01"))]
        argv += _extras(
            rng,
            ("--format", "json"),
            ("--release", "host-nation"),
            ("--period", "2027-04-01..2027-04-14"),
            ("--record", RECORD),
            ("--trust", TRUST),
        )
    elif use == 3:
        argv = ["sign", path, *SIGN_ARGS, "-o", "{case}/out.signed.ictb.xml", "-j", "1"]
        argv += _extras(rng, ("--format", "json"))
    else:  # two ICTBs together: one may supersede the other (ICTB-030)
        argv = ["check", path, UNSIGNED, "--as-of", AS_OF]
    return Case("ictb", argv, {"brief.ictb.xml": data})


def _signed_data(rng: random.Random, ws: Workspace, seed: str) -> bytes:
    """A mutated signed ICTB: mutated then signed again (odd content behind a good
    signature) most of the time, else mutated after signing."""
    _, data = ws.seed(rng, seed)
    if rng.random() < 0.6:
        for _ in range(10):
            mutated = mutate_xml(rng, data)
            signed = ws.resign(mutated)
            if signed is not None:
                return signed
    return mutate_xml(rng, data)


def case_signed(rng: random.Random, ws: Workspace) -> Case:
    data = _signed_data(rng, ws, "signed-ictb")
    path = "{case}/brief.signed.ictb.xml"
    use = rng.randrange(4)
    if use == 0:
        argv = ["verify", path, "--trust", TRUST, "--as-of", AS_OF, "-j", "1"]
        argv += _extras(rng, ("--signature-only",), ("--format", "json"), ("--strict",))
    elif use == 1:
        argv = ["check", path, "--trust", TRUST, "--as-of", AS_OF]
        argv += _extras(rng, ("--format", "json"))
    elif use == 2:
        argv = ["redact", path, "--released-to", "Palau", "--released-by", "CAPT A. Smdr"]
        argv += ["--released-on", "2026-11-23", "-o", "{case}/out.release.ictb.xml", "-j", "1"]
    else:
        argv = ["check", path, "--release", "host-nation", "--as-of", AS_OF]
    return Case("signed-ictb", argv, {"brief.signed.ictb.xml": data})


def case_release(rng: random.Random, ws: Workspace) -> Case:
    _, data = ws.seed(rng, "release")
    data = mutate_xml(rng, data)
    path = "{case}/brief.release.ictb.xml"
    use = rng.randrange(3)
    if use == 0:
        argv = ["verify", path, "--trust", TRUST, "--as-of", AS_OF, "-j", "1"]
    elif use == 1:
        argv = ["check", path, "--release", "host-nation", "--as-of", AS_OF]
    else:
        argv = ["redact", path, "--released-on", "2026-11-24", "-o", "{case}/again.xml"]
    return Case("release", argv, {"brief.release.ictb.xml": data})


def case_detailee(fmt: str) -> Callable[[random.Random, Workspace], Case]:
    kind = f"detailee-{fmt}"

    def make(rng: random.Random, ws: Workspace) -> Case:
        mutate = mutate_json if fmt == "json" else mutate_xml
        _, data = _file_case(kind, rng, ws, kind, mutate)
        name = f"packet.{fmt}"
        argv = ["detailee", "validate", f"{{case}}/{name}", "--as-of", DHS_DAY]
        argv += _extras(rng, ("--trust", TRUST), ("--format", "json"), ("--strict",))
        files = {name: data}
        referenced = b"02-fema-dod-physician.signed.ictb.xml"
        if referenced in data and rng.random() < 0.5:  # the DoD MTF's signed ICTB odd
            odd = _signed_data(rng, ws, "signed-ictb")
            if fmt == "xml" and rng.random() < 0.5:
                embedded = b"<embedded>" + base64.b64encode(odd) + b"</embedded>"
                data = re.sub(rb"<file>[^<]*</file>", lambda _: embedded, data)
            else:
                data = data.replace(referenced, b"odd.signed.ictb.xml")
                files["odd.signed.ictb.xml"] = odd
            files[name] = data
            if "--trust" not in argv:
                argv += ["--trust", TRUST]
        return Case(kind, argv, files)

    return make


def case_mission(fmt: str) -> Callable[[random.Random, Workspace], Case]:
    kind = f"mission-{fmt}"

    def make(rng: random.Random, ws: Workspace) -> Case:
        mutate = mutate_json if fmt == "json" else mutate_xml
        _, data = _file_case(kind, rng, ws, kind, mutate)
        name = f"roster.{fmt}"
        argv = ["smdr", "review", f"{{case}}/{name}", "--trust", TRUST, "--as-of", MISSION_DAY]
        argv += ["-j", "1", "--format", rng.choice(("text", "json", "csv"))]
        argv += _extras(rng, ("--release-dir", "{case}/release"))
        files = {name: data}
        if rng.random() < 0.3:  # one provider's signed ICTB itself odd
            files["odd.signed.ictb.xml"] = _signed_data(rng, ws, "signed-ictb")
            data = data.replace(
                b"ictbs/ad-emergency-physician.signed.ictb.xml", b"odd.signed.ictb.xml"
            )
            files[name] = data
        return Case(kind, argv, files)

    return make


def case_context(what: str, fmt: str) -> Callable[[random.Random, Workspace], Case]:
    kind = f"{what}-{fmt}"
    option = {"confirmations": "--confirmations", "grant": "--grant"}.get(what, "--distribution")

    def make(rng: random.Random, ws: Workspace) -> Case:
        mutate = mutate_json if fmt == "json" else mutate_xml
        _, data = _file_case(kind, rng, ws, kind, mutate)
        name = f"{what}.{fmt}"
        path = f"{{case}}/{name}"
        use = rng.randrange(3)
        if use == 0 and what == "confirmations":
            argv = ["verify", SIGNED, "--trust", TRUST, "--as-of", AS_OF, option, path, "-j", "1"]
        elif use == 0 and what == "distribution":
            argv = [*build_args(RECORD, rng), "--distribution", path]
        else:
            argv = ["check", rng.choice((UNSIGNED, UNSIGNED_01)), "--as-of", AS_OF, option, path]
            argv += _extras(rng, ("--format", "json"))
        return Case(kind, argv, {name: data})

    return make


def case_policy(rng: random.Random, ws: Workspace) -> Case:
    _, data = _file_case("policy", rng, ws, "policy", mutate_json)
    path = "{case}/policy.json"
    use = rng.randrange(3)
    if use == 0:
        argv = ["check", UNSIGNED, "--as-of", AS_OF, "--policy", path]
    elif use == 1:
        argv = [*build_args(RECORD, rng), "--policy", path]
    else:
        argv = ["verify", SIGNED, "--trust", TRUST, "--as-of", AS_OF, "--policy", path, "-j", "1"]
    return Case("policy", argv, {"policy.json": data})


def case_profile(rng: random.Random, ws: Workspace) -> Case:
    _, data = _file_case("profile", rng, ws, "profile", mutate_json)
    profile = rng.choice(("host-nation", "host-nation", "mission", "", "\x00"))
    argv = ["redact", SIGNED, "--profile-file", "{case}/profiles.json", "--profile", profile]
    argv += ["--released-on", "2026-11-23", "-o", "{case}/out.xml"]
    return Case("profile", argv, {"profiles.json": data})


def case_trust(rng: random.Random, ws: Workspace) -> Case:
    _, data = _file_case("trust", rng, ws, "trust", rng.choice((mutate_lines, mutate_bytes)))
    files = {"trust.pem": data}
    path = "{case}/trust.pem"
    if rng.random() < 0.3:  # a folder of them
        files = {"trust/a.pem": data, "trust/b.pem": (ws.base / "keys" / "ca.pem").read_bytes()}
        path = "{case}/trust"
    command = rng.choice(
        (
            ["verify", SIGNED, "--as-of", AS_OF, "-j", "1"],
            ["check", SIGNED, "--as-of", AS_OF],
            [
                "detailee",
                "validate",
                "{base}/detailee/02-fema-dod-physician.xml",
                "--as-of",
                DHS_DAY,
            ],
            ["smdr", "review", "{base}/mission/roster.xml", "--as-of", MISSION_DAY, "-j", "1"],
        )
    )
    return Case("trust", [*command, "--trust", path], files)


def case_cert(rng: random.Random, ws: Workspace) -> Case:
    _, data = _file_case("cert", rng, ws, "cert", rng.choice((mutate_lines, mutate_bytes)))
    option = rng.choice(("--cert", "--chain", "--ca-cert"))
    if option == "--ca-cert":
        argv = [
            "keygen",
            "signer",
            "--out",
            "{case}/new",
            "--name",
            "CAPT Test",
            "--facility-name",
            "Naval Medical Center San Diego",
            "--ca-cert",
            "{case}/cert.pem",
            "--ca-key",
            "{base}/keys/ca.key.pem",
            "--ca-passphrase-file",
            PASS,
            "--passphrase-file",
            PASS,
        ]
    elif option == "--chain":
        argv = ["sign", UNSIGNED, *SIGN_ARGS, "--chain", "{case}/cert.pem", "-o", "{case}/o.xml"]
    else:
        argv = ["sign", UNSIGNED, "--key", KEY, "--cert", "{case}/cert.pem"]
        argv += ["--passphrase-file", PASS, "-o", "{case}/o.xml", "-j", "1"]
    return Case("cert", argv, {"cert.pem": data})


def case_key(rng: random.Random, ws: Workspace) -> Case:
    _name, data = _file_case("key", rng, ws, "key", rng.choice((mutate_lines, mutate_bytes)))
    mode = rng.choice((0o600, 0o600, 0o600, 0o644, 0o400))
    if rng.random() < 0.7:
        argv = ["sign", UNSIGNED, "--key", "{case}/key", "--cert", CERT]
        argv += ["--passphrase-file", PASS, "-o", "{case}/o.xml", "-j", "1"]
    else:
        argv = ["keygen", "signer", "--out", "{case}/new", "--name", "CAPT Test"]
        argv += ["--facility-name", "Naval Medical Center San Diego"]
        argv += ["--ca-cert", "{base}/keys/ca.pem", "--ca-key", "{case}/key"]
        argv += ["--ca-passphrase-file", PASS, "--passphrase-file", PASS]
    return Case("key", argv, {"key": data}, modes={"key": mode})


def case_pkcs12(rng: random.Random, ws: Workspace) -> Case:
    _, data = _file_case("pkcs12", rng, ws, "pkcs12", mutate_bytes)
    argv = ["sign", UNSIGNED, "--pkcs12", "{case}/signer.p12", "--passphrase-file", PASS]
    argv += ["-o", "{case}/o.xml", "-j", "1"]
    return Case("pkcs12", argv, {"signer.p12": data}, modes={"signer.p12": 0o600})


def case_passphrase(rng: random.Random, ws: Workspace) -> Case:
    _, data = _file_case("passphrase", rng, ws, "passphrase", mutate_bytes)
    env: dict[str, str] = {}
    if rng.random() < 0.3:  # from the environment instead
        env["ICTB_PASSPHRASE"] = data.decode("utf-8", "surrogateescape").replace("\x00", "")
        source = ["--passphrase-env", "ICTB_PASSPHRASE"]
    else:
        source = ["--passphrase-file", "{case}/pass.txt"]
    command = rng.choice(
        (
            ["sign", UNSIGNED, "--key", KEY, "--cert", CERT, "-o", "{case}/o.xml"],
            ["sign", UNSIGNED, "--pkcs12", "{base}/keys/signer.p12", "-o", "{case}/o.xml"],
            ["keygen", "ca", "--out", "{case}/ca", "--name", "Test CA"],
        )
    )
    return Case("passphrase", [*command, *source], {"pass.txt": data}, env=env)


def _odd_date_option(rng: random.Random) -> str:
    return rng.choice((*ODD_DATES, *ODD_DATETIMES, *ODD_TEXTS[:12]))


def _odd_period(rng: random.Random) -> str:
    start, end = _odd_date_option(rng), _odd_date_option(rng)
    return rng.choice(
        (
            f"{start}..{end}",
            f"{start}..2026-12-18",
            f"2026-12-07..{end}",
            f"{start}",
            f"{start}...{end}",
            "..",
            "9999-12-31..9999-12-31",
            "0001-01-01..9999-12-31",
            "2026-12-18..2026-12-07",
        )
    )


def case_dates(rng: random.Random, ws: Workspace) -> Case:
    """Date and period options with odd values, and odd dates in sound documents."""
    day = _odd_date_option(rng)
    period = _odd_period(rng)
    choices = [
        ["check", UNSIGNED, "--as-of", day],
        ["check", UNSIGNED_01, "--as-of", AS_OF, "--period", period],
        ["check", SIGNED, "--trust", TRUST, "--as-of", day, "--period", period],
        ["verify", SIGNED, "--trust", TRUST, "--as-of", day, "-j", "1"],
        ["verify", SIGNED, "--trust", TRUST, "--as-of", AS_OF, "--period", period, "-j", "1"],
        [*build_args(RECORD, rng)[:9], "--period", period, "--issued-on", AS_OF, "-o", "-"],
        [*build_args(RECORD, rng)[:9], "--period", PERIOD, "--issued-on", day, "-o", "-"],
        ["redact", SIGNED, "--released-on", day, "-o", "-"],
        [
            "detailee",
            "validate",
            "{base}/detailee/01-ice-usphs-nurse-practitioner.xml",
            "--as-of",
            day,
        ],
        [
            "detailee",
            "validate",
            "{base}/detailee/02-fema-dod-physician.xml",
            "--as-of",
            day,
            "--trust",
            TRUST,
        ],
        [
            "smdr",
            "review",
            "{base}/mission/roster.xml",
            "--trust",
            TRUST,
            "--as-of",
            day,
            "-j",
            "1",
        ],
        [
            "keygen",
            "ca",
            "--out",
            "{case}/ca",
            "--name",
            "CA",
            "--passphrase-file",
            PASS,
            "--days",
            rng.choice(("0", "-1", "1", "3650", "99999999", "10" * 20, "x")),
        ],
    ]
    # Valid documents at the far ends of the calendar, checked on ordinary days and on
    # the far ends too.
    if rng.random() < 0.4:
        return _extreme_dates_case(rng, ws)
    return Case("dates", rng.choice(choices))


def _extreme_dates_case(rng: random.Random, ws: Workspace) -> Case:
    _name, data = ws.seed(rng, "record-json")
    try:
        doc = json.loads(data)
    except ValueError:
        return Case("dates", ["check", UNSIGNED, "--as-of", "9999-12-31"])
    extreme = rng.choice(("9999-12-31", "9999-12-30", "0001-01-01", "0001-01-02", "9999-01-31"))
    for path, value in list(_json_nodes(doc)):
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            if rng.random() < 0.5:
                _set(doc, path, extreme)
    files = {"record.json": json.dumps(doc).encode()}
    day = rng.choice((AS_OF, "9999-12-31", "0001-01-01", "9999-12-30"))
    period = rng.choice((PERIOD, "9999-12-01..9999-12-31", "0001-01-01..0001-01-31"))
    use = rng.randrange(3)
    if use == 0:
        argv = build_args("{case}/record.json", rng)
        argv[argv.index("--issued-on") + 1] = day
        argv[argv.index("--period") + 1] = period
    elif use == 1:
        argv = ["check", UNSIGNED_01, "--record", "{case}/record.json", "--as-of", day]
        argv += ["--period", period]
    else:
        _, ictb = ws.seed(rng, "ictb")
        text = re.sub(rb">\d{4}-\d{2}-\d{2}<", lambda m: b">" + extreme.encode() + b"<", ictb)
        files = {"brief.ictb.xml": text}
        argv = ["check", "{case}/brief.ictb.xml", "--as-of", day, "--period", period]
        if rng.random() < 0.5:
            signed = ws.resign(text)
            if signed is not None:
                files = {"brief.signed.ictb.xml": signed}
                argv = ["verify", "{case}/brief.signed.ictb.xml", "--trust", TRUST]
                argv += ["--as-of", day, "-j", "1"]
    return Case("dates", argv, files)


TEXT_OPTIONS: tuple[tuple[str, ...], ...] = (
    ("build", "--purpose"),
    ("build", "--gaining-name"),
    ("build", "--gaining-facility"),
    ("build", "--appraisal-request"),
    ("build", "--supersedes"),
    ("redact", "--released-to"),
    ("redact", "--released-by"),
    ("redact", "--profile"),
    ("sign", "--signer-name"),
    ("sign", "--signer-role"),
    ("check", "--release"),
    ("keygen", "--name"),
    ("keygen", "--role"),
    ("keygen", "--facility-name"),
    ("keygen", "--facility-id"),
    ("keygen-ca", "--name"),
    ("any", "--format"),
    ("any", "--jobs"),
    ("sign", "--passphrase-env"),
    ("convert", "--to"),
)


def case_text(rng: random.Random, ws: Workspace) -> Case:
    """Free-text and choice options with odd values."""
    command, option = rng.choice(TEXT_OPTIONS)
    value = rng.choice((*ODD_TEXTS, *ODD_DATES[:6], "a\x00b", "N\x1bX", "\ud800x", "x" * 400))
    if command == "build" or (command == "any" and rng.random() < 0.4):
        argv = build_args(RECORD, rng)
        argv = [a for a in argv if a != "-o" and a != "{case}/out.ictb.xml"]
        argv += ["--out-dir", "{case}/out"]
        if option in argv:
            argv[argv.index(option) + 1] = value
        else:
            argv += [option, value]
    elif command == "redact":
        argv = ["redact", SIGNED, "--released-on", "2026-11-23", "-o", "{case}/o.xml", option]
        argv.append(value)
    elif command == "sign":
        argv = ["sign", UNSIGNED, *SIGN_ARGS, "-o", "{case}/o.xml", option, value]
    elif command == "check" or command == "any":
        argv = ["check", UNSIGNED, "--as-of", AS_OF, option, value]
    elif command == "convert":
        argv = ["convert", RECORD, option, value, "-o", "{case}/o"]
    elif command == "keygen-ca":
        argv = ["keygen", "ca", "--out", "{case}/ca", option, value, "--passphrase-file", PASS]
    else:
        fields = {
            "--name": "CAPT Test",
            "--role": "MTF Commander",
            "--facility-name": "Naval Medical Center San Diego",
            "--facility-id": "N00259",
        }
        fields[option] = value
        argv = ["keygen", "signer", "--out", "{case}/s", "--passphrase-file", PASS]
        for name, text in fields.items():
            argv += [name, text]
        if rng.random() < 0.5:
            argv.append("--csr")
        else:
            argv += ["--ca-cert", "{base}/keys/ca.pem", "--ca-key", "{base}/keys/ca.key.pem"]
            argv += ["--ca-passphrase-file", PASS]
    return Case("text", argv)


ODD_PATHS: tuple[str, ...] = (
    "{case}/missing.xml",
    "{case}",
    "{case}/empty",
    "/dev/null",
    "{case}/a\x00b",
    "{case}/" + "n" * 300,
    "{case}/loop",
    "{case}/unreadable",
    "{case}/\udcff.xml",
    "",
    "{case}/fifo-free/",
)


def case_paths(rng: random.Random, ws: Workspace) -> Case:
    """Odd paths for every file argument and option."""
    path = rng.choice(ODD_PATHS)
    slots = [
        ["build", path, "--gaining-facility", "X", "--period", PERIOD, "--issued-on", AS_OF],
        ["build", "--roster", path, "--issued-on", AS_OF, "--out-dir", "{case}/o"],
        [*build_args(RECORD, rng)[:-4], "--out-dir", path],
        [*build_args(RECORD, rng)[:-4], "-o", path],
        [*build_args(RECORD, rng), "--distribution", path],
        ["convert", path, "--to", "xml"],
        ["check", path, "--as-of", AS_OF],
        ["check", UNSIGNED, "--as-of", AS_OF, "--record", path],
        ["check", UNSIGNED, "--as-of", AS_OF, "--confirmations", path],
        ["check", UNSIGNED, "--as-of", AS_OF, "--grant", path],
        ["check", UNSIGNED, "--as-of", AS_OF, "--policy", path],
        ["check", SIGNED, "--as-of", AS_OF, "--trust", path],
        ["sign", path, *SIGN_ARGS, "-o", "{case}/o.xml"],
        ["sign", UNSIGNED, "--key", path, "--cert", CERT, "--passphrase-file", PASS],
        ["sign", UNSIGNED, "--key", KEY, "--cert", path, "--passphrase-file", PASS],
        ["sign", UNSIGNED, "--pkcs12", path, "--passphrase-file", PASS],
        ["sign", UNSIGNED, "--key", KEY, "--cert", CERT, "--passphrase-file", path],
        ["sign", UNSIGNED, *SIGN_ARGS, "--out-dir", path, "-j", "1"],
        ["verify", path, "--trust", TRUST, "--as-of", AS_OF, "-j", "1"],
        ["verify", SIGNED, "--trust", path, "--as-of", AS_OF, "-j", "1"],
        ["redact", path, "--released-on", AS_OF, "-o", "{case}/o.xml"],
        ["redact", SIGNED, "--released-on", AS_OF, "--profile-file", path, "-o", "{case}/o"],
        ["redact", SIGNED, "--released-on", AS_OF, "-o", path],
        ["detailee", "validate", path, "--as-of", DHS_DAY],
        [
            "detailee",
            "validate",
            "{base}/detailee/01-ice-usphs-nurse-practitioner.xml",
            "--as-of",
            DHS_DAY,
            "--trust",
            path,
        ],
        ["detailee", "new", "-o", path],
        ["smdr", "review", path, "--trust", TRUST, "--as-of", MISSION_DAY, "-j", "1"],
        [
            "smdr",
            "review",
            "{base}/mission/roster.xml",
            "--trust",
            TRUST,
            "--as-of",
            MISSION_DAY,
            "-j",
            "1",
            "--release-dir",
            path,
        ],
        ["keygen", "ca", "--out", path, "--name", "CA", "--passphrase-file", PASS],
    ]
    files = {"empty": b""}
    return Case("paths", rng.choice(slots), files, modes={"empty": 0o600})


def case_stdout(rng: random.Random, ws: Workspace) -> Case:
    """Outputs to standard output, with odd content on the way (- for -o)."""
    value = rng.choice(("ok", "\ud800", "\udcff", "a\x1bb", "\u202e"))
    return Case(
        "stdout",
        rng.choice(
            (
                [*build_args(RECORD, rng)[:-4], "-o", "-", "--purpose", value],
                ["convert", RECORD, "--to", "xml"],
                ["redact", SIGNED, "--released-on", AS_OF, "-o", "-", "--released-to", value],
                ["detailee", "new"],
                ["sign", UNSIGNED, *SIGN_ARGS, "-o", "-", "--signer-name", value],
            )
        ),
    )


KINDS: dict[str, Callable[[random.Random, Workspace], Case]] = {
    "record-json": case_record("record-json", "json"),
    "record-xml": case_record("record-xml", "xml"),
    "roster-csv": case_roster,
    "ictb": case_ictb,
    "signed-ictb": case_signed,
    "release": case_release,
    "detailee-xml": case_detailee("xml"),
    "detailee-json": case_detailee("json"),
    "mission-xml": case_mission("xml"),
    "mission-json": case_mission("json"),
    "confirmations-json": case_context("confirmations", "json"),
    "confirmations-xml": case_context("confirmations", "xml"),
    "distribution-json": case_context("distribution", "json"),
    "distribution-xml": case_context("distribution", "xml"),
    "grant-json": case_context("grant", "json"),
    "grant-xml": case_context("grant", "xml"),
    "policy": case_policy,
    "profile": case_profile,
    "trust": case_trust,
    "cert": case_cert,
    "key": case_key,
    "pkcs12": case_pkcs12,
    "passphrase": case_passphrase,
    "dates": case_dates,
    "text": case_text,
    "paths": case_paths,
    "stdout": case_stdout,
}


def make_case(kind: str, seed: int, ws: Workspace) -> Case:
    return KINDS[kind](random.Random(f"{kind}:{seed}"), ws)


# ---------------------------------------------------------------- running


@dataclass(frozen=True)
class Outcome:
    exit_code: int | None
    stdout: str
    stderr: str
    escaped: str | None = None  # the traceback of an exception that left main()

    @property
    def internal(self) -> bool:
        return (
            self.escaped is not None
            or self.exit_code not in (0, 1, 2, 3)
            or "Traceback (most recent call last)" in self.stderr + self.stdout
            or "internal error" in self.stderr
        )

    def cause(self) -> str:
        """Where it failed: the exception type and its innermost frame, for grouping."""
        text = self.escaped or self.stderr
        frames = [
            frame
            for frame in re.findall(r'File "([^"]+)", line (\d+), in (\S+)', text)
            if not frame[0].endswith("fuzzing.py")  # this harness (the key memo)
        ]
        kind = re.findall(r"^(\w+(?:\.\w+)*(?:Error|Exception|Warning)?): ", text, re.M)
        where = ""
        if frames:
            path, line, func = frames[-1]
            where = f" at {Path(path).name}:{line} in {func}"
            ours = [f for f in frames if "/ictb/" in f[0] and "/site-packages/" not in f[0]]
            if ours and ours[-1] != frames[-1]:
                path, line, func = ours[-1]
                where += f", from {Path(path).parent.name}/{Path(path).name}:{line} in {func}"
        found = re.search(r"internal error: (\w+)", self.stderr)
        name = found.group(1) if found else (kind[-1] if kind else f"exit {self.exit_code}")
        return f"{name}{where}"


def _pinned_clock() -> Any:
    from ictb.clock import FixedClock

    return FixedClock(SIGNED_AT)


@contextlib.contextmanager
def memoized_key_loading() -> Iterator[None]:
    """Decrypting a private key runs its key-derivation function (a tenth of a second by
    design); the same bytes with the same passphrase give the same key, so remember the
    keys decrypted: the key-file cases still decrypt every new (mutated) file."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    targets = (
        (serialization, "load_pem_private_key"),
        (serialization, "load_der_private_key"),
        (pkcs12, "load_key_and_certificates"),
    )
    saved = [getattr(module, name) for module, name in targets]

    def remember(original: Callable[..., Any]) -> Callable[..., Any]:
        known: dict[tuple[Any, ...], Any] = {}

        def load(data: bytes, password: bytes | None = None, *args: Any, **kw: Any) -> Any:
            key = (bytes(data), password, args, tuple(sorted(kw.items())))
            if key not in known:
                known[key] = original(data, password, *args, **kw)
            return known[key]

        return load

    for (module, name), original in zip(targets, saved, strict=True):
        setattr(module, name, remember(original))
    try:
        yield
    finally:
        for (module, name), original in zip(targets, saved, strict=True):
            setattr(module, name, original)


def resolve(argv: list[str], ws: Workspace, case_dir: Path) -> list[str]:
    return [a.replace("{case}", str(case_dir)).replace("{base}", str(ws.base)) for a in argv]


def run_case(case: Case, ws: Workspace, *, debug: bool = True) -> Outcome:
    """Write the case's files and run its command line through ``ictb.cli.main``."""
    from ictb.cli import main

    case_dir = ws.fresh_case()
    for name, data in case.files.items():
        target = case_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if name in case.modes:
            target.chmod(case.modes[name])
    with contextlib.suppress(OSError):
        (case_dir / "loop").symlink_to(case_dir / "loop")
    argv = resolve(case.argv, ws, case_dir)
    if debug:
        argv = ["--debug", *argv]
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    # As on a UTF-8 terminal: standard output strict, standard error escaping.
    stdout = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", write_through=True)
    stderr = io.TextIOWrapper(
        err_bytes, encoding="utf-8", errors="backslashreplace", write_through=True
    )
    stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    saved = sys.stdin, sys.stdout, sys.stderr
    saved_env = {k: os.environ.get(k) for k in case.env}
    saved_cwd = Path.cwd()
    escaped = None
    code: int | None = None
    try:
        os.environ.update(case.env)
        os.chdir(case_dir)
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
        try:
            main(argv, clock=_pinned_clock())
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            import traceback

            escaped = traceback.format_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        sys.stdin, sys.stdout, sys.stderr = saved
        os.chdir(saved_cwd)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Outcome(
        code,
        out_bytes.getvalue().decode("utf-8", "replace"),
        err_bytes.getvalue().decode("utf-8", "replace"),
        escaped,
    )


def save_failure(folder: Path, case: Case, outcome: Outcome) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "files").mkdir(exist_ok=True)
    for name, data in case.files.items():
        target = folder / "files" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (folder / "case.json").write_text(json.dumps(case.as_json(), indent=2) + "\n", "utf-8")
    (folder / "stderr.txt").write_text(outcome.stderr + (outcome.escaped or ""), "utf-8")
    (folder / "exit_code").write_text(f"{outcome.exit_code}\n", "utf-8")
