"""``python -m tests.pinned_cli ARGS``: the ictb CLI in a process of its own, on the
tests' pinned clock (for tests that must run it as a separate process)."""

from __future__ import annotations

import sys

from ictb.cli import main
from tests.conftest import PINNED_CLOCK

if __name__ == "__main__":
    main(sys.argv[1:], clock=PINNED_CLOCK)
