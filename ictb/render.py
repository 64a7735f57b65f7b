"""Reports to text (for people) and JSON (for programs); written once for every command."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from ictb import __version__
from ictb.findings import Report, Severity, Verdict, sort_findings

REPORT_FORMAT = 1

_COLOURS = {
    Verdict.VALID: "green",
    Verdict.NEEDS_REVIEW: "yellow",
    Verdict.INVALID: "red",
    Severity.ERROR: "red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}


def use_colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def _paint(text: str, key: Any, colour: bool) -> str:
    if not colour:
        return text
    import click

    return click.style(text, fg=_COLOURS.get(key))


def text_report(report: Report, *, colour: bool = False, headline: str | None = None) -> str:
    """A report as aligned text: a verdict line, then one line per finding."""
    verdict = report.verdict
    lines = [f"{report.document}: {_paint(verdict.value.upper(), verdict, colour)}"]
    if headline:
        lines[0] += f" - {headline}"
    for f in sort_findings(report.findings):
        severity = _paint(f"{f.severity.value:<7}", f.severity, colour)
        lines.append(f"  {severity} {f.code:<9} {f.message}")
        detail = "; ".join(x for x in (f.location, f.source) if x)
        if detail:
            lines.append(f"  {'':7} {'':9} [{detail}]")
    return "\n".join(lines)


def json_document(command: str, reports: Sequence[dict[str, Any]], summary: dict[str, Any]) -> str:
    """The stable JSON shape: one object per input document under ``documents``."""
    payload = {
        "ictb_version": __version__,
        "report_format": REPORT_FORMAT,
        "command": command,
        "documents": list(reports),
        "summary": summary,
    }
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False)


class JsonStream:
    """The JSON document of :func:`json_document`, written one document at a time."""

    def __init__(self, command: str, stream: TextIO | None = None) -> None:
        self.out = stream or sys.stdout
        self.first = True
        head = json.dumps({"command": command}, sort_keys=True)[:-1]
        self.out.write(f'{head}, "documents": [')

    def add(self, document: dict[str, Any]) -> None:
        text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
        self.out.write(("\n" if self.first else ",\n") + text)
        self.first = False
        self.out.flush()

    def close(self, summary: dict[str, Any]) -> None:
        tail = {"ictb_version": __version__, "report_format": REPORT_FORMAT, "summary": summary}
        rest = json.dumps(tail, indent=2, sort_keys=True, ensure_ascii=False)[1:]
        self.out.write(f"\n],{rest}\n")
        self.out.flush()


def error_line(message: str, stream: TextIO | None = None) -> None:
    """The one line a bad input gets: ``ictb: error: FILE:LINE: what``."""
    print(f"ictb: error: {message}", file=stream or sys.stderr)
