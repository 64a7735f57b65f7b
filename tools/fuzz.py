"""Fuzz the ictb command line: mutated inputs of every kind, run in-process.

    .venv/bin/python tools/fuzz.py --count 10000 [--seed N] [--kind KIND ...]
    .venv/bin/python tools/fuzz.py --replay fuzz-failures/signed-ictb-000123

Each input is made from the samples and the demo keys by ``tests/fuzzing.py`` (the
mutators and the kinds live there, shared with ``tests/test_fuzz.py``), run through
``ictb.cli.main`` with pinned dates, and counted as an internal error when it exits 4,
prints a traceback or "internal error", or raises out of ``main``.  Every failing input
is saved (its files, command line and error output) for ``--replay``.  Exits 1 if any
input gave an internal error.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import fuzzing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="inputs in all (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    parser.add_argument(
        "--kind",
        action="append",
        choices=sorted(fuzzing.KINDS),
        help="only this kind of input (repeatable; default: every kind, in turn)",
    )
    parser.add_argument(
        "--failures",
        type=Path,
        default=Path("fuzz-failures"),
        help="where to save failing inputs (default ./fuzz-failures)",
    )
    parser.add_argument("--replay", type=Path, help="run one saved failing input again")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a temporary one)")
    args = parser.parse_args(argv)

    with (
        tempfile.TemporaryDirectory(prefix="ictb-fuzz-") as scratch,
        fuzzing.memoized_key_loading(),
    ):
        workdir = args.workdir or Path(scratch)
        ws = fuzzing.make_workspace(workdir / "ws")
        if args.replay is not None:
            return replay(args.replay, ws)
        return campaign(args, ws)


def replay(folder: Path, ws: fuzzing.Workspace) -> int:
    case = fuzzing.Case.from_folder(folder)
    outcome = fuzzing.run_case(case, ws)
    print("argv:", fuzzing.resolve(case.argv, ws, ws.case))
    print(f"exit {outcome.exit_code}")
    sys.stdout.write(outcome.stderr + (outcome.escaped or ""))
    return 1 if outcome.internal else 0


def campaign(args: argparse.Namespace, ws: fuzzing.Workspace) -> int:
    kinds = args.kind or sorted(fuzzing.KINDS)
    runs: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    exits: dict[str, Counter[int | None]] = {k: Counter() for k in kinds}
    causes: dict[str, list[str]] = {}
    started = time.monotonic()
    for n in range(args.count):
        kind = kinds[n % len(kinds)]
        seed = args.seed + n // len(kinds)
        case = fuzzing.make_case(kind, seed, ws)
        outcome = fuzzing.run_case(case, ws)
        runs[kind] += 1
        exits[kind][outcome.exit_code] += 1
        if outcome.internal:
            failures[kind] += 1
            cause = outcome.cause()
            folder = args.failures / f"{kind}-{seed:06d}"
            causes.setdefault(cause, []).append(str(folder))
            fuzzing.save_failure(folder, case, outcome)
        if (n + 1) % 500 == 0:
            print(
                f"... {n + 1} inputs, {sum(failures.values())} internal errors, "
                f"{time.monotonic() - started:.0f} s",
                file=sys.stderr,
            )
    elapsed = time.monotonic() - started
    print(f"{'kind':<20} {'inputs':>7} {'internal':>9}   exit codes")
    for kind in kinds:
        codes = ", ".join(f"{c}: {n}" for c, n in sorted(exits[kind].items(), key=str))
        print(f"{kind:<20} {runs[kind]:>7} {failures[kind]:>9}   {codes}")
    total = sum(failures.values())
    print(
        f"{'total':<20} {sum(runs.values()):>7} {total:>9}   "
        f"({elapsed:.0f} s, {sum(runs.values()) / max(elapsed, 1e-9) * 60:.0f} inputs/min)"
    )
    for cause, folders in sorted(causes.items(), key=lambda kv: -len(kv[1])):
        print(f"\n{len(folders)} x {cause}\n   e.g. {folders[0]}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
