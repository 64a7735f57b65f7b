"""`ictb --help` and `--version` start fast: no heavy module is imported on that path."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("lxml", "cryptography", "xmlschema", "jsonschema", "signxml", "ictb.rules", "ictb.model")


@pytest.mark.parametrize("argument", ["--help", "--version", "check --help", "sign --help"])
def test_startup_imports_nothing_heavy(argument: str) -> None:
    probe = (
        "import json, sys\n"
        "from ictb.cli import main\n"
        "try:\n"
        f"    main({argument.split()!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert not {m for m in loaded for heavy in HEAVY if m == heavy or m.startswith(heavy + ".")}
    assert "Usage: ictb" in done.stdout or done.stdout.startswith("ictb, version")


def test_the_command_table_matches_the_commands() -> None:
    """`ictb --help` lists commands from a table; it must say what each command says."""
    from ictb.cli import COMMANDS, cli

    for name, (_module, short_help) in COMMANDS.items():
        command = cli.get_command(None, name)  # type: ignore[arg-type]
        assert command is not None and command.help is not None
        assert command.help.strip().splitlines()[0] == short_help, name
