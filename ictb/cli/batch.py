"""Run a command over a batch of documents: report each, go on past bad ones, summarise.

Also the headlines and detail lines that the commands print under each report.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ictb.errors import EXIT_OK, EXIT_REJECTED, IctbError

if TYPE_CHECKING:
    from ictb.findings import Report

Job = TypeVar("Job")


def progress(items: list[Any], label: str) -> Any:
    """A progress bar on a terminal; the plain list when piped."""
    if len(items) > 1 and sys.stderr.isatty():
        return click.progressbar(items, label=label, file=sys.stderr)
    from contextlib import nullcontext

    return nullcontext(items)


@dataclass(frozen=True)
class Outcome:
    """What evaluating one job gave, in a form that crosses from a worker process."""

    report: Report | None = None
    error: str | None = None  # the one-line error of a bad or unreadable input
    exit_code: int = EXIT_OK  # for an input that could not be evaluated at all
    traceback: str | None = None  # of an internal error, shown only with --debug


def evaluate_safely(
    evaluate: Callable[[Job], Report],
    name: Callable[[Job], str],
    refused: dict[int, str],
    numbered: tuple[int, Job],
) -> Outcome:
    """Run one job; turn whatever goes wrong into data, so that the batch goes on past it.

    A bad input (``InputError``) is a rejected document with its INPUT finding; an input
    that cannot be evaluated at all (``IctbError``: a missing file...) is not evaluated;
    ``refused`` holds the jobs refused before they ran (by their position), with why.
    Anything else is a bug: reported for this job (exit 4), and the batch goes on.
    """
    from ictb.errors import EXIT_INTERNAL, EXIT_USAGE, InputError, bug_summary
    from ictb.findings import Report, finding

    index, job = numbered
    if index in refused:
        return Outcome(None, error=f"{name(job)}: {refused[index]}", exit_code=EXIT_USAGE)
    try:
        return Outcome(evaluate(job))
    except InputError as exc:
        where = f"line {exc.line}" if exc.line else None
        report = Report(name(job), (finding(exc.code, exc.message, where),))
        return Outcome(report, error=str(exc))
    except IctbError as exc:
        return Outcome(None, error=str(exc), exit_code=exc.exit_code)
    except Exception as exc:
        import traceback

        return Outcome(
            None,
            error=f"{name(job)}: internal error: {bug_summary(exc)} "
            "(rerun with --debug for a traceback)",
            exit_code=EXIT_INTERNAL,
            traceback=traceback.format_exc(),
        )


def shared_outputs(
    jobs: list[Job], output_of: Callable[[Job], Path | None], name: Callable[[Job], str]
) -> dict[int, str]:
    """The jobs that would write a file an earlier job of the batch writes, with why.

    Two inputs that map to one output (``a/x.json b/x.json``, or ``y.json y.xml``) must
    not both be written: with --force the second would silently replace the first.
    """
    claimed: dict[Path, str] = {}
    refused: dict[int, str] = {}
    for index, job in enumerate(jobs):
        target = output_of(job)
        if target is None:
            continue
        # realpath, unlike Path.resolve, does not raise on a symbolic-link loop; the
        # write itself then reports the unusable folder.
        key = Path(os.path.realpath(target))
        if key in claimed:
            refused[index] = (
                f"not processed: its output {target} is also the output of {claimed[key]} "
                "in this batch; give the inputs distinct names, or process them separately"
            )
        else:
            claimed[key] = name(job)
    return refused


def debugging() -> bool:
    """Whether this run was given ``ictb --debug``."""
    context = click.get_current_context(silent=True)
    return bool(context is not None and context.find_root().params.get("debug"))


def run_batch(
    command: str,
    jobs: list[Job],
    evaluate: Callable[[Job], Report],
    *,
    name: Callable[[Job], str] = str,
    accepted: Callable[[Report], bool],
    headline: Callable[[Report], str | None] = lambda report: None,
    details: Callable[[Report], list[str]] = lambda report: [],
    words: tuple[str, str] = ("accepted", "rejected"),
    output_format: str = "text",
    quiet: bool = False,
    workers: int = 1,
    collect: Callable[[Report], None] | None = None,
    output_of: Callable[[Job], Path | None] | None = None,
) -> int:
    """Evaluate every job, report each as it comes, go on past bad ones, summarise.

    With ``workers`` > 1 the jobs run in worker processes (``ictb.parallel``); results
    still come back, and are reported, in input order.  JSON is streamed too, so memory
    stays flat however long the batch.  ``output_of`` names the file a job writes, so
    that two jobs of the batch never write the same one.
    """
    from ictb import parallel, rules, schema
    from ictb.render import JsonStream, error_line, text_report, use_colour

    def warm() -> None:
        # Compiled once here, before the workers fork, instead of once per worker.
        rules.registered_codes()
        for xsd in (schema.ICTB_XSD, schema.RECORD_XSD):
            schema.compiled(xsd)

    refused = shared_outputs(jobs, output_of, name) if output_of is not None else {}
    show_tracebacks = debugging()
    colour = use_colour(sys.stdout)
    stream = JsonStream(command) if output_format == "json" else None
    counts = {"accepted": 0, "rejected": 0, "not_evaluated": 0}
    exit_code = EXIT_OK
    results = parallel.ordered(
        functools.partial(evaluate_safely, evaluate, name, refused),
        list(enumerate(jobs)),
        jobs=min(workers, len(jobs)),
        warm=warm if workers > 1 else None,
    )
    with progress(jobs, f"ictb {command}") as bar:
        for job, outcome in zip(bar, results, strict=True):
            if outcome.traceback and show_tracebacks:
                sys.stderr.write(outcome.traceback)
            if outcome.error:
                error_line(outcome.error)
            report = outcome.report
            if report is None:
                counts["not_evaluated"] += 1
                exit_code = max(exit_code, outcome.exit_code)
                if stream is not None:
                    stream.add(
                        {
                            "document": name(job),
                            "verdict": "not evaluated",
                            "error": outcome.error,
                            "findings": [],
                        }
                    )
                continue
            if collect is not None:
                collect(report)
            ok = accepted(report)
            counts["accepted" if ok else "rejected"] += 1
            if not ok:
                exit_code = max(exit_code, EXIT_REJECTED)
            if stream is not None:
                stream.add(report.as_dict())
            elif not quiet:
                click.echo(text_report(report, colour=colour, headline=headline(report)))
                for line in details(report):
                    click.echo(f"  {line}")
    if stream is not None:
        stream.close(dict(counts, total=len(jobs)))
    elif not quiet:
        click.echo(
            f"\n{counts['accepted']} {words[0]}, {counts['rejected']} {words[1]}"
            + (f", {counts['not_evaluated']} not evaluated" if counts["not_evaluated"] else "")
            + f" (of {len(jobs)})"
        )
    return exit_code


# ---------------------------------------------------------------- headlines


def validity_headline(report: Report) -> str | None:
    through, reason = report.facts.get("valid_through"), report.facts.get("valid_through_reason")
    as_of = report.facts.get("as_of")
    if through is None:
        return str(reason) if reason else None
    if as_of and through < as_of:
        return f"not valid on {as_of} ({reason})"
    return f"valid through {through} ({reason})"


def expiry_lines(report: Report) -> list[str]:
    lines = []
    for item in report.facts.get("expiring", []):
        when = (
            "before the assignment ends"
            if item["during_assignment"]
            else (f"within {item['within_days']} days")
        )
        lines.append(f"expires {item['expires_on']} ({when}): {item['credential']}")
    return lines


def signer_headline(report: Report) -> str | None:
    signer = report.facts.get("signer")
    if not signer or "signed_at" not in report.facts:
        return None
    text = f"signed by {signer['name']} ({signer['organization']}) at {report.facts['signed_at']}"
    if report.facts.get("withheld"):
        text += "; release copy, withheld: " + ", ".join(report.facts["withheld"])
    validity = validity_headline(report)
    return f"{text}; {validity}" if validity else text


def packet_headline(report: Report) -> str | None:
    facts = report.facts
    if not facts.get("person_type"):
        return None
    who = facts.get("person") or "unnamed"
    text = f"{who}, {facts['person_type']} serving {facts.get('serving_component')}"
    if facts.get("signed_ictb"):
        text += f"; signed ICTB {facts['signed_ictb']}"
    return text
