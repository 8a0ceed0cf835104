"""Child processes that end with their parent, whatever kills it (kill -9 included)."""
from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """SIGKILL this process when its parent dies (Linux: a parent-death signal; the parent is
    checked once more afterwards, in case it died before the signal was set). Call it first thing
    in the child, with the parent's pid read before the fork."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)
