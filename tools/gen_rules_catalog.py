"""Generate ``ictb/data/rules.json`` from the project's rule catalog (RULES.md).

Usage::

    python tools/gen_rules_catalog.py [path/to/RULES.md]

Every markdown table row whose first cell is a rule code (``ICTB-001``, ``PRIV-030``...)
becomes one catalog entry.  The tables have the columns
``| Code | Sev | Fires when | Fields | Source |``.  The project's own input codes
(``INPUT-001``..``INPUT-004``) are not in RULES.md and are appended here.

Standard library only, so it runs before the package's dependencies are installed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RULES_MD = Path(__file__).resolve().parents[2] / "shared" / "RULES.md"
OUTPUT = REPO_ROOT / "ictb" / "data" / "rules.json"

PREFIX_ORDER = ("ICTB", "PRIV", "LIC", "HUM", "DHS", "RED", "INPUT")
SEVERITIES = frozenset({"error", "warning", "info"})

_CODE = re.compile(r"^(ICTB|PRIV|LIC|HUM|DHS|RED)-\d{3}$")
_COLUMNS = 5  # Code | Sev | Fires when | Fields | Source

# In RULES.md, "Encl." and "Gloss." without a prefix refer to DoD Manual 6025.13.
_DODM = "DoDM 6025.13"
_UNPREFIXED_DODM = ("Encl.", "Gloss.")

_INPUT_SOURCE = 'ictb SPEC "Security of input"'
INPUT_RULES: tuple[tuple[str, str], ...] = (
    ("INPUT-001", "The document is not well-formed (XML or JSON syntax), or is empty."),
    (
        "INPUT-002",
        "The document uses a forbidden construct: DOCTYPE, entity declaration or reference, "
        "external DTD, XInclude.",
    ),
    ("INPUT-003", "The document exceeds a size or nesting-depth limit."),
    (
        "INPUT-004",
        "The document does not conform to its schema (unknown element or field, wrong type, "
        "bad date, missing required element).",
    ),
)


class CatalogError(Exception):
    """RULES.md cannot be turned into a catalog (duplicate code, unknown severity...)."""


def _split_row(line: str) -> list[str] | None:
    """The cells of a markdown table row, or None if the line is not a table row."""
    stripped = line.strip()
    if not stripped.startswith("|"):
        return None
    body = stripped[1:-1] if stripped.endswith("|") and len(stripped) > 1 else stripped[1:]
    # A literal pipe inside a cell is written "\|" in markdown.
    cells = re.split(r"(?<!\\)\|", body)
    return [cell.strip().replace("\\|", "|") for cell in cells]


def _collapse(text: str) -> str:
    return " ".join(text.split())


def plain_text(cell: str) -> str:
    """A cell's text with markdown removed: code spans and **bold** markers, extra spaces."""
    text = cell.replace("`", "")
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    return _collapse(text)


def citation(cell: str) -> str:
    """The Source cell as a citation: backticks removed, DoDM 6025.13 made explicit."""
    text = _collapse(cell.replace("`", ""))
    if text.startswith(_UNPREFIXED_DODM):
        text = f"{_DODM} {text}"
    return text


def _sort_key(code: str) -> tuple[int, int]:
    prefix, number = code.split("-")
    return PREFIX_ORDER.index(prefix), int(number)


def parse_rules(markdown: str) -> list[dict[str, str]]:
    """Every rule row of RULES.md, in document order.

    Raises :class:`CatalogError` on a malformed rule row, an unknown severity or a
    code defined twice.
    """
    rules: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(markdown.splitlines(), start=1):
        cells = _split_row(line)
        if not cells or not _CODE.match(cells[0]):
            continue
        code = cells[0]
        if len(cells) != _COLUMNS:
            raise CatalogError(
                f"RULES.md:{lineno}: {code}: expected {_COLUMNS} columns, found {len(cells)}"
            )
        severity = plain_text(cells[1])
        if severity not in SEVERITIES:
            raise CatalogError(
                f"RULES.md:{lineno}: {code}: unknown severity {severity!r} "
                f"(expected one of {', '.join(sorted(SEVERITIES))})"
            )
        if code in seen:
            raise CatalogError(
                f"RULES.md:{lineno}: duplicate code {code} (first defined on line {seen[code]})"
            )
        seen[code] = lineno
        title = plain_text(cells[2])
        source = citation(cells[4])
        if not title or not source:
            raise CatalogError(f"RULES.md:{lineno}: {code}: empty 'Fires when' or 'Source' cell")
        rules.append({"code": code, "severity": severity, "title": title, "source": source})
    if not rules:
        raise CatalogError("RULES.md: no rule rows found")
    return rules


def build_catalog(markdown: str) -> dict[str, Any]:
    """The catalog document: RULES.md rules plus the input codes, in catalog order."""
    rules = parse_rules(markdown)
    codes = {rule["code"] for rule in rules}
    for code, title in INPUT_RULES:
        if code in codes:
            raise CatalogError(f"duplicate code {code}: RULES.md defines a project input code")
        rules.append({"code": code, "severity": "error", "title": title, "source": _INPUT_SOURCE})
    rules.sort(key=lambda rule: _sort_key(rule["code"]))
    return {"generated_from": "RULES.md", "rules": rules}


def render(catalog: dict[str, Any]) -> str:
    """The catalog exactly as it is written to ``ictb/data/rules.json``."""
    return json.dumps(catalog, indent=1, ensure_ascii=False) + "\n"


def generate(rules_md: Path = DEFAULT_RULES_MD) -> str:
    """Read RULES.md and return the text of ``rules.json``."""
    return render(build_catalog(rules_md.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        print("usage: gen_rules_catalog.py [RULES.md]", file=sys.stderr)
        return 2
    rules_md = Path(args[0]) if args else DEFAULT_RULES_MD
    try:
        text = generate(rules_md)
    except OSError as exc:
        print(f"gen_rules_catalog: cannot read {rules_md}: {exc.strerror}", file=sys.stderr)
        return 1
    except CatalogError as exc:
        print(f"gen_rules_catalog: {exc}", file=sys.stderr)
        return 1
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    count = text.count('"code":')
    print(f"wrote {OUTPUT}: {count} rules from {rules_md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
