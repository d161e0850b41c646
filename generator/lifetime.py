"""How long the processes a build starts may live: no longer than the process that started them.

A build that is killed (SIGKILL, a closed terminal, a CI job cancelled) cannot stop its
children, and a child left running holds the build's files open and burns a core for minutes.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1
_POLL_SECONDS = 0.5


def die_with_parent() -> None:
    """Ask the system to kill this process when the thread that started it ends (Linux; does
    nothing elsewhere). For `preexec_fn` and process-pool initializers."""
    if not sys.platform.startswith("linux"):
        return
    libc_name = ctypes.util.find_library("c")
    if libc_name is not None:
        ctypes.CDLL(libc_name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def watch_parent(parent: int) -> None:
    """End this process as soon as `parent` is no longer its parent: on Linux at once, where
    the system cannot do it within half a second. `parent` is the id the starting process
    passed, since it may already have ended when this runs."""
    die_with_parent()
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_POLL_SECONDS)
        os._exit(1)  # the parent is gone: nobody is left to read what this process makes

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def alive(pid: int) -> bool:
    """Whether another process with this id is running (this very one is not "another": a
    folder named after it can only be left by a namesake that ended)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def end_done() -> None:
    """End this process now, its work done and its output written, as Python ends one (its
    exit handlers run: logging's, other MkDocs plugins' and hooks') but without freeing, one by
    one, every object it holds: that took 2 s after a build with nothing changed at 10,000
    entries, and 4 s after one from nothing. While another thread or a child process of other
    code still runs, the process ends as usual instead, which waits for them."""
    others = [thread for thread in threading.enumerate() if thread is not threading.main_thread()]
    if any(not thread.daemon for thread in others) or multiprocessing.active_children():
        return
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
