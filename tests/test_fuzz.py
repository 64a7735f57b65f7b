"""No input reaches an internal error: mutated inputs of every kind the CLI reads.

Property tests over the kinds and mutators of ``tests/fuzzing.py`` (the same ones
``tools/fuzz.py`` runs by the thousand): each example is one seed, which makes one case
(its files and command line), run through ``ictb.cli.main`` on pinned dates.  Every run
must end with exit 0, 1, 2 or 3 and print no traceback and no "internal error".  Bounded
for CI: a few examples per kind, always the same ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import fuzzing

EXAMPLES = 20  # per kind: about 20 s in all on a small machine


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[fuzzing.Workspace]:
    with fuzzing.memoized_key_loading():
        yield fuzzing.make_workspace(tmp_path_factory.mktemp("fuzz") / "ws")


@pytest.mark.parametrize("kind", sorted(fuzzing.KINDS))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_no_input_is_an_internal_error(workspace: fuzzing.Workspace, kind: str, seed: int) -> None:
    case = fuzzing.make_case(kind, seed, workspace)
    with fuzzing.memoized_key_loading():
        outcome = fuzzing.run_case(case, workspace)
    assert not outcome.internal, (
        f"{kind} seed {seed}: {fuzzing.resolve(case.argv, workspace, workspace.case)}\n"
        f"exit {outcome.exit_code}\n{outcome.stderr}{outcome.escaped or ''}"
    )
    assert outcome.exit_code in (0, 1, 2, 3)


def test_the_mutators_are_deterministic(workspace: fuzzing.Workspace) -> None:
    # A seed names one case for good: a failure found once can be run again.
    for kind in fuzzing.KINDS:
        first = fuzzing.make_case(kind, 7, workspace)
        again = fuzzing.make_case(kind, 7, workspace)
        assert (first.argv, first.files.keys()) == (again.argv, again.files.keys()), kind
        if kind not in ("signed-ictb", "mission-xml", "mission-json", "detailee-xml"):
            # (a signature made again differs: ECDSA signatures are randomized)
            assert first.files == again.files, kind


def test_a_saved_case_replays_as_it_was(workspace: fuzzing.Workspace, tmp_path: Path) -> None:
    case = fuzzing.make_case("text", 3, workspace)
    case.argv.append("\ud800")  # even an argument no command line could hold
    outcome = fuzzing.run_case(case, workspace)
    fuzzing.save_failure(tmp_path / "saved", case, outcome)
    replayed = fuzzing.Case.from_folder(tmp_path / "saved")
    assert (replayed.kind, replayed.argv, replayed.files) == (case.kind, case.argv, case.files)


def test_an_internal_error_is_seen(
    workspace: fuzzing.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The property above would pass vacuously if run_case could not see a crash.
    from ictb import check

    def crash(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(check, "check", crash)
    case = fuzzing.Case("ictb", ["check", fuzzing.UNSIGNED, "--as-of", fuzzing.AS_OF])
    outcome = fuzzing.run_case(case, workspace)
    assert outcome.internal and outcome.exit_code == 4
    assert "ZeroDivisionError" in outcome.cause()
