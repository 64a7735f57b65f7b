"""Writing outputs safely: atomically, never over an input, never half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ictb.errors import IctbError


def atomic_write(path: Path, data: bytes, *, overwrite: bool = False, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    An interrupted write leaves no partial file (the rename is atomic); an existing file
    is replaced only with ``overwrite``.  Files are not fsynced one by one: a batch of
    thousands would spend most of its time waiting on the disk.
    """
    directory = path.parent
    try:
        if path.exists() and not overwrite:
            raise IctbError("already exists (use --force to replace it)", path=str(path))
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise IctbError(f"cannot write: {exc.strerror}", path=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # a full disk, a file-size limit, a lost mount...
            raise IctbError(f"cannot write: {exc.strerror or exc}", path=str(path)) from None
        raise
