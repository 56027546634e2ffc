"""What the command lines of ``geo`` say about an error they did not expect: one line, never a
traceback, unless ``CORDON_DEBUG`` is set (then the exception propagates)."""

from __future__ import annotations

import os
from typing import TextIO


def internal_error(prog: str, exc: BaseException, stderr: TextIO) -> int:
    """Print ``prog: internal error: …`` on one line and return exit status 1; re-raise the
    exception being handled when ``CORDON_DEBUG`` is set. Call it inside ``except``."""
    if os.environ.get("CORDON_DEBUG"):
        raise  # noqa: PLE0704 - called from an except block: re-raises the handled exception
    print(f"{prog}: internal error: {type(exc).__name__}: {exc} "
          "(set CORDON_DEBUG=1 for a traceback)", file=stderr)
    return 1
