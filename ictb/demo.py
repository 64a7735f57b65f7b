"""The end-to-end demo on ``samples/``: what a credentialing office would see."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import click

from ictb import build, records, roster
from ictb.errors import EXIT_OK, EXIT_REJECTED, IctbError, InputError
from ictb.model import Facility, Period
from ictb.outputs import atomic_write
from ictb.policy import default as default_policy

MARKER = ".ictb-demo"


def prepare(out_dir: Path) -> None:
    """Empty the demo's own folder; refuse to touch a folder the demo did not make."""
    if out_dir.exists():
        if not (out_dir / MARKER).exists() and any(out_dir.iterdir()):
            raise IctbError(
                "exists and was not made by the demo; choose another --out-dir", path=str(out_dir)
            )
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    (out_dir / MARKER).write_text("written by 'ictb demo'; replaced on each run\n")


def run(samples: Path, out_dir: Path, *, as_of: dt.date) -> int:
    roster_path = samples / "roster.csv"
    if not roster_path.is_file():
        raise IctbError(
            "no roster.csv here; run the demo from the project folder or give --samples",
            path=str(samples),
        )
    prepare(out_dir)
    policy = default_policy()
    ok = True

    click.secho(f"1. Build an ICTB for every provider in {roster_path} (as of {as_of})", bold=True)
    for record_path, assignment in roster.read(roster_path):
        record = records.load(record_path)
        result = build.build(
            record, assignment, issued_on=as_of, policy=policy, source=str(record_path)
        )
        name = record.provider.display_name()
        discipline = record.provider.discipline.value if record.provider.discipline else "?"
        periods = ", ".join(f"{p.start}..{p.end}" for p in assignment.periods)
        if result.xml is None:
            ok = False
            refused_codes = ", ".join(sorted({f.code for f in result.report.errors}))
            click.echo(f"   REFUSED {name:<28} {refused_codes}")
            continue
        target = out_dir / "ictbs" / f"{record_path.stem}--{assignment.gaining.id}.ictb.xml"
        atomic_write(target, result.xml, overwrite=True)
        verdict = result.report.verdict.value
        notes = ", ".join(sorted({f.code for f in result.report.warnings}))
        click.echo(
            f"   built   {name:<28} {discipline:<22} -> {assignment.gaining.id:<8} "
            f"{periods}  [{verdict}{': ' + notes if notes else ''}]"
        )

    invalid = samples / "invalid"
    if invalid.is_dir():
        click.secho(f"\n2. Every bad record in {invalid} is refused with its code", bold=True)
        assignment = build.Assignment(
            gaining=Facility(id="N00183", name="Naval Hospital Camp Pendleton"),
            purpose="Demonstration assignment",
            periods=(Period(start=dt.date(2026, 12, 1), end=dt.date(2027, 1, 31)),),
        )
        for path in sorted(p for p in invalid.iterdir() if p.is_file()):
            expected = path.name.split("--", 1)[0]
            try:
                result = build.build(
                    records.load(path), assignment, issued_on=as_of, policy=policy, source=str(path)
                )
                codes = {f.code for f in result.report.errors}
                line = ""
            except InputError as exc:
                codes = {exc.code}
                line = f"  ({exc})"
            good = expected in codes
            ok = ok and good
            mark = "refused" if good else "UNEXPECTED"
            click.echo(
                f"   {mark:<10} {path.name:<58} {', '.join(sorted(codes)) or 'built'}"
                f"{line if not good else ''}"
            )
    click.echo(f"\nOutputs in {out_dir}/")
    return EXIT_OK if ok else EXIT_REJECTED
