"""Server logs that hold no personal data: where a failure happened, never what it was about.

An unexpected failure must reach the maintainer's log, but a claim file's name is
often the applicant's name (the app's own downloads are called 「张三-申报文件」),
and an exception's message may quote the data it choked on. So a failure is
logged as its exception type and its code frames (file, line, function) only --
enough to find the bug, nothing a 个人信息保护法 audit would count as personal
information. The user is told in Chinese, where they are, what went wrong.
"""

from __future__ import annotations

import logging
import sys
import traceback


def log_failure(log: logging.Logger, what: str) -> None:
    """Log the exception being handled as ``what`` (fixed words, never data), its type and where it arose."""
    exc = sys.exc_info()[1]
    if exc is None:
        log.error("%s", what)
        return
    frames = "".join(f"\n  {frame.filename}:{frame.lineno} in {frame.name}"
                     for frame in traceback.extract_tb(exc.__traceback__))
    log.error("%s: %s (message withheld: it may quote personal data)%s", what, type(exc).__name__, frames)
