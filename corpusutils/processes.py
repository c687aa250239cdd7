"""The processes a report build starts, and how a build stops them, however it ends.

A build runs each notebook in a Jupyter kernel: a process of its own, which jupyter_client starts
in a session of its own (so Ctrl-C in the terminal never reaches it), below the builder or below
one of its worker processes. When a build fails or is interrupted, :func:`stop_kernels` kills the
process group of every kernel it started (the kernel and anything the kernel started), and
:func:`stop_workers` ends the worker pool, waiting a bounded time only. Both read the process
table of Linux (``/proc``); elsewhere :func:`stop_kernels` finds nothing, and the kernels are
left to the shutdown jupyter_client itself attempts.

:func:`run_command` is for the command-line entry points only (``python -m corpusutils.report``,
``corpusutils``): it runs the command, and when Ctrl-C or SIGTERM arrives, makes sure the process
ends within :data:`STOP_WITHIN` seconds: if the build has not finished cleaning up by then, its
kernels and workers are killed and the process ends (what a killed build leaves, the next build
or ``make clean`` removes; see :mod:`corpusutils.publish`). It ends the process without Python's
interpreter finalization, which could otherwise wait forever on a kernel's sockets or threads
after an interrupted run, and with the conventional status: killed by SIGINT (130 in a shell)
after Ctrl-C, by SIGTERM (143) after SIGTERM.
"""

from __future__ import annotations

import _thread
import contextlib
import faulthandler
import multiprocessing
import multiprocessing.util
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Collection, Sequence
from typing import NoReturn

from corpusutils.publish import BuildInterrupted

__all__ = ["STOP_WITHIN", "interrupt_status", "run_command", "stop_kernels", "stop_workers"]

#: Seconds from Ctrl-C or SIGTERM to the end of a command-line build, at most.
STOP_WITHIN = 30.0

#: Exit status of a command stopped by Ctrl-C (SIGINT) or by SIGTERM, as a shell reports it.
_STATUS = {signal.SIGINT: 128 + signal.SIGINT, signal.SIGTERM: 128 + signal.SIGTERM}


def _process_table() -> dict[int, tuple[int, int]]:
    """Every process as ``pid: (parent pid, process group)``; empty without ``/proc``."""
    table: dict[int, tuple[int, int]] = {}
    with contextlib.suppress(OSError):
        entries = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
        for pid in entries:
            try:
                with open(f"/proc/{pid}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:  # ended meanwhile
                continue
            # "pid (command) state ppid pgrp ...": the command may hold spaces and parentheses.
            fields = stat[stat.rfind(b")") + 2 :].split()
            table[int(pid)] = (int(fields[1]), int(fields[2]))
    return table


def kernel_groups(exclude: Collection[int] = ()) -> list[int]:
    """The process groups of kernels below this process, except those in ``exclude``.

    A kernel is found as a descendant of this process that leads a process group of its own
    (jupyter_client starts kernels in a new session); the search does not enter it, since its
    group is stopped as a whole. Pass the groups that existed before the build as ``exclude``,
    so that a build run inside a Python session leaves that session's own processes alone.

    >>> kernel_groups()  # no kernel runs below the test process here
    []
    """
    table = _process_table()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    own_group = os.getpgid(0)
    found, waiting = [], list(children.get(os.getpid(), []))
    while waiting:
        pid = waiting.pop()
        group = table[pid][1]
        if group == pid and group != own_group:
            if pid not in exclude:
                found.append(pid)
        else:
            waiting.extend(children.get(pid, []))
    return sorted(found)


def stop_kernels(exclude: Collection[int] = ()) -> list[int]:
    """Kill the process group of every kernel below this process (see :func:`kernel_groups`).

    Returns the groups killed. Never waits: SIGKILL cannot be refused.

    >>> stop_kernels()
    []
    """
    groups = kernel_groups(exclude)
    for group in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
    return groups


def stop_workers(pool: object, timeout: float = 10.0) -> None:
    """Terminate a ``multiprocessing`` pool and join it, waiting ``timeout`` seconds at most.

    ``Pool.terminate`` can wait forever on a queue lock that a worker held when it died;
    past ``timeout``, the workers are killed outright and the pool is left to itself.

    >>> import multiprocessing
    >>> stop_workers(multiprocessing.get_context("spawn").Pool(1))
    """

    def end() -> None:
        pool.terminate()  # type: ignore[attr-defined]
        pool.join()  # type: ignore[attr-defined]

    ender = threading.Thread(target=end, name="stop-workers", daemon=True)
    ender.start()
    ender.join(timeout)
    if ender.is_alive():
        for worker in getattr(pool, "_pool", []):  # the pool's Process objects
            with contextlib.suppress(Exception):
                worker.kill()
        ender.join(1.0)


def interrupt_status(exc: BaseException) -> int:
    """The exit status of a command that ``exc`` interrupted: 143 for SIGTERM, else 130.

    >>> interrupt_status(KeyboardInterrupt())
    130
    """
    return _STATUS.get(getattr(exc, "signum", signal.SIGINT), _STATUS[signal.SIGINT])


def _end(status: int) -> NoReturn:
    """End this process now with ``status``: 130 and 143 as killed by SIGINT and SIGTERM, so
    that a shell or make sees the job interrupted (from the main thread only, which alone can
    restore a signal's default action; elsewhere as the exit status 130 or 143)."""
    if threading.current_thread() is threading.main_thread():
        # What multiprocessing does at exit, and only that: release the named semaphores of
        # the worker pool (else its resource tracker warns of them as leaked).
        with contextlib.suppress(Exception):
            multiprocessing.util._run_finalizers(0)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    if threading.current_thread() is threading.main_thread():
        for signum, interrupted in _STATUS.items():
            if status == interrupted:
                signal.signal(signum, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, [signum])
                os.kill(os.getpid(), signum)
    os._exit(status)


def _hard_stop(signum: int, seconds: float) -> NoReturn:
    """The build did not end in time: say where it was, kill what it started, end."""
    with contextlib.suppress(Exception):
        print(
            f"the build did not stop within {seconds:.0f} s of {signal.Signals(signum).name}; "
            "stopping its kernels and workers; where it was:",
            file=sys.stderr, flush=True,
        )
        faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    stop_kernels()
    for worker in multiprocessing.active_children():  # the pool's workers
        with contextlib.suppress(Exception):
            worker.kill()
    _end(_STATUS[signum])


def _stop_within(seconds: float) -> None:
    """From now on, Ctrl-C and SIGTERM raise :class:`BuildInterrupted` in the main thread and
    start a timer that ends the process if it has not ended ``seconds`` later; a second signal
    ends it at once.

    A signal that lands while Python runs a ``__del__`` method or a weakref callback (a kernel
    client being collected, say) raises there, and Python prints the exception and drops it:
    such an interrupt is raised again as soon as the main thread is back in ordinary code.
    """
    first: list[tuple[int, float]] = []
    dropped: list[int] = []

    def watch(signum: int) -> None:
        time.sleep(seconds)
        _hard_stop(signum, seconds)

    def on_signal(signum: int, frame: object) -> None:
        if dropped:  # the same interrupt, raised again
            raise BuildInterrupted(dropped.pop())
        if first:
            _hard_stop(first[0][0], time.monotonic() - first[0][1])
        first.append((signum, time.monotonic()))
        threading.Thread(target=watch, args=(signum,), name="stop-within", daemon=True).start()
        raise BuildInterrupted(signum)

    def raise_again(signum: int) -> None:
        time.sleep(0.05)  # the main thread out of the method that dropped it, most likely
        _thread.interrupt_main(signum)  # on_signal runs in the main thread

    def on_unraisable(unraisable: object) -> None:
        previous_hook(unraisable)
        exc = getattr(unraisable, "exc_value", None)
        if isinstance(exc, BuildInterrupted):
            dropped[:] = [exc.signum]
            threading.Thread(target=raise_again, args=(exc.signum,), daemon=True).start()

    previous_hook = sys.unraisablehook
    sys.unraisablehook = on_unraisable
    for signum in _STATUS:
        signal.signal(signum, on_signal)


def run_command(main: Callable[[Sequence[str] | None], int]) -> NoReturn:
    """Run a command-line ``main`` as this process, and end the process with its status.

    For a command-line entry point only, never in a Python session: it ends the process
    (see the module docstring). ``main`` returns its exit status, and turns
    :class:`KeyboardInterrupt` into 130, or 143 for SIGTERM (:func:`interrupt_status`).
    """
    try:
        _stop_within(STOP_WITHIN)
        status = main(None)
    except KeyboardInterrupt as exc:  # one that main let through
        status = interrupt_status(exc)
    except SystemExit as exc:  # argparse: --help, a wrong argument
        status = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    _end(status)
