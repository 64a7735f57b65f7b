"""Operational errors: raised when ictb cannot evaluate, never for a bad document.

A document that is wrong (malformed, hostile, schema-invalid, failing a rule) is
reported as :class:`ictb.findings.Finding` objects.  An :class:`IctbError` means the
run itself could not proceed, and maps to a fixed exit code.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_CANNOT_EVALUATE = 3
EXIT_INTERNAL = 4


class IctbError(Exception):
    """Base class: the run cannot evaluate its input (exit 3)."""

    exit_code = EXIT_CANNOT_EVALUATE

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def location(self) -> str:
        """``path:line`` (or whatever part is known) for the one-line error."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class InputError(IctbError):
    """An input document is malformed, hostile or does not fit its schema (exit 1).

    ``code`` is the catalogued input code: INPUT-001 not well-formed or empty,
    INPUT-002 forbidden construct, INPUT-003 size or depth limit, INPUT-004 schema.
    """

    exit_code = EXIT_REJECTED

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        code: str = "INPUT-001",
    ):
        super().__init__(message, path=path, line=line)
        self.code = code


class MissingInputError(IctbError):
    """An input file or directory does not exist or cannot be read (exit 3)."""


class ConfigError(IctbError):
    """A configuration file (a policy, redaction profiles) cannot be read or does not fit
    its packaged JSON Schema (exit 3): without its configuration the run cannot evaluate.
    """


class KeyMaterialError(IctbError):
    """A key or certificate cannot be loaded, or the passphrase is wrong (exit 3)."""


class TrustConfigError(IctbError):
    """No usable trust store was given (exit 3)."""


class UsageError(IctbError):
    """The command line asks for something inconsistent (exit 2)."""

    exit_code = EXIT_USAGE


def bug_summary(exc: BaseException) -> str:
    """An unexpected exception in one line: its type and where ictb raised it.

    Never its message: that may quote a value from the document (a date of birth, an
    SSN).  The message and the traceback are shown only with ``--debug``.
    """
    import traceback
    from pathlib import Path

    frames = traceback.extract_tb(exc.__traceback__)
    package = Path(__file__).resolve().parent
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(package)]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    if where is None:
        return type(exc).__name__
    try:
        shown = Path(where.filename).resolve().relative_to(package.parent)
    except ValueError:
        shown = Path(Path(where.filename).name)
    return f"{type(exc).__name__} at {shown}:{where.lineno} in {where.name}"
