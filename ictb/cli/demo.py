"""``ictb demo``: the end-to-end demo on the samples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

DEMO_DATE = dt.date(2026, 11, 22)  # the samples are written as of this day


@click.command()
@click.option(
    "--samples",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("samples"),
    show_default=True,
    help="The samples folder.",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-out"),
    show_default=True,
    help="Where the demo writes its documents (replaced on each run).",
)
def demo(samples: Path, out_dir: Path) -> int:
    """Run the end-to-end demo on the samples.

    Builds an ICTB from every sample record listed in samples/roster.csv, then shows
    every invalid sample being refused with its rule code.  The samples are dated for
    2026-11-22, the date the demo applies the rules on.
    """
    from ictb import demo as demo_module

    return demo_module.run(samples, out_dir, as_of=DEMO_DATE)
