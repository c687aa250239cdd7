"""Publish a finished build into an output folder, and remove it again, touching nothing else.

The report builder writes everything into a staging folder first; :func:`publish` then moves
each file into the output folder and records what it wrote in a marker file,
``.corpusutils-build.json`` (relative path and SHA-256 of every file, and the folders the build
created). Later builds replace, and :func:`remove_build` (``make clean``) removes, only what a
marker lists, and only while its content is what the build wrote:

- an output folder that does not exist, or is empty, is used;
- a folder with a marker is updated: files the new build writes replace the listed ones, listed
  files it no longer writes are removed, and everything else in it (hidden or not) stays;
- any other folder is refused, naming what is in it; so is a folder that is the corpus,
  contains it or lies inside it, and the filesystem root, the home folder, and the current
  folder or any folder above it.

:func:`build_lock` lets one build at a time write to a folder (a second one is refused);
:func:`staging_folder` makes the staging folder and removes it however the build ends, Ctrl-C
and SIGTERM included; :func:`publish` defers both signals while it moves files, so an
interrupted build leaves the previous reports whole. A build killed outright (SIGKILL, a
crash) cannot clean up: its staging folder carries a marker of its own
(``.corpusutils-staging.json``, naming the output folder), and the next build into that
folder, or ``make clean``, removes such a folder once it holds the folder's lock, which proves
that no build still using it is alive. A hidden folder without that marker is never touched.

This module uses the standard library only, so ``python corpusutils/publish.py remove DIR``
works without the project's environment (``make clean`` runs it).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = [
    "MARKER",
    "STAGING_MARKER",
    "BuildInterrupted",
    "OutputError",
    "build_lock",
    "check_output_folder",
    "publish",
    "remove_build",
    "staging_folder",
]

#: The marker file a build leaves in its output folder: what it wrote, and nothing else.
MARKER = ".corpusutils-build.json"
#: The marker a staging folder carries from its creation: the output folder it builds.
STAGING_MARKER = ".corpusutils-staging.json"

#: What a build wrote before builds carried a marker: recognised so such a folder is updated.
_UNMARKED_BUILD = re.compile(
    r"^(index\.html|cleaned-corpus\.parquet|\d\d-[\w.-]+\.html"
    r"|notebooks(/\d\d-[\w.-]+\.ipynb)?|figures(/[^/]+\.(png|csv))?)$"
)

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class OutputError(RuntimeError):
    """The output folder cannot be used; the message says why and what is in the way."""


class BuildInterrupted(KeyboardInterrupt):
    """A signal stopped a build: SIGTERM, or Ctrl-C (SIGINT) in a command-line build; ``signum``
    says which (elsewhere Ctrl-C raises KeyboardInterrupt itself)."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by signal {signal.Signals(signum).name}")
        self.signum = signum


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _listing(paths: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def _entries(folder: Path) -> list[str]:
    """Every file, link and folder under ``folder``, hidden ones included, as relative paths."""
    found = []
    for root, dirs, files in os.walk(folder):
        base = Path(root).relative_to(folder)
        found += [(base / name).as_posix() for name in dirs + files]
    return sorted(found)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_marker(out: Path) -> dict | None:
    """The marker's record, or None when ``out`` carries none (or an unreadable one)."""
    marker = out / MARKER
    if not marker.is_file() or marker.is_symlink():
        return None
    try:
        record = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("files"), dict):
        return None
    return record


def _unmarked_build(out: Path) -> dict | None:
    """A folder written by a build older than the marker, recognised by its names alone."""
    entries = _entries(out)
    if "index.html" not in entries or not all(_UNMARKED_BUILD.match(e) for e in entries):
        return None
    files = {e: _sha256(out / e) for e in entries if (out / e).is_file()}
    return {"files": files, "folders": [e for e in entries if e not in files]}


def _previous_build(out: Path) -> dict | None:
    return _read_marker(out) or _unmarked_build(out)


def check_output_folder(out: str | Path, *, protected: Sequence[str | Path] = ()) -> Path:
    """The output folder as an absolute path, or :class:`OutputError` saying why it is refused.

    ``~`` is expanded. Refused: the filesystem root, the home folder, the current folder or a
    folder above it, a folder that is, contains or lies inside one of ``protected`` (the
    corpus), something that is not a folder, a folder holding anything a build did not
    write, and one where a file the last build wrote was changed since (the message names
    it).

    >>> check_output_folder("/")
    Traceback (most recent call last):
    ...
    corpusutils.publish.OutputError: /: refused as an output folder: it is the filesystem root
    """
    given = str(out)
    path = Path(os.path.expanduser(given)).resolve()
    cwd, home = Path.cwd().resolve(), Path.home().resolve()
    reason = None
    if path == Path(path.anchor):
        reason = "it is the filesystem root"
    elif _under(home, path):
        reason = "it is the home folder" if path == home else "it holds the home folder"
    elif _under(cwd, path):
        reason = "it is the current folder" if path == cwd else "it holds the current folder"
    for item in protected:
        corpus = Path(os.path.expanduser(str(item))).resolve()
        if reason is None and _under(path, corpus):
            reason = f"it is or lies inside the corpus {corpus}"
        elif reason is None and _under(corpus, path):
            reason = f"it contains the corpus {corpus}"
    if reason is None and path.exists() and not path.is_dir():
        reason = "it exists and is not a folder"
    if reason:
        raise OutputError(f"{given}: refused as an output folder: {reason}")
    previous = _previous_build(path) if path.is_dir() else None
    if path.is_dir() and previous is None and any(path.iterdir()):
        raise OutputError(
            f"{given}: refused as an output folder: it holds files no report build wrote "
            f"({_listing(_entries(path))}); choose an empty or new folder, or move them away"
        )
    changed = _changed(path, previous["files"]) if previous else []
    if changed:  # refused before the build, not after it (publish checks again at the end)
        raise OutputError(
            f"{given}: reports not updated; files changed since the last build wrote them: "
            f"{_listing(changed)}"
        )
    return path


def _lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.corpusutils-lock"


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the lock of ``out`` for one build; :class:`OutputError` while another holds it.

    The lock is a hidden file beside ``out``, removed when the build ends; the operating
    system releases it if the process dies.
    """
    lock = _lock_path(out)
    lock.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            raise OutputError(
                f"{out}: another build is writing to this folder; wait until it has finished"
            ) from None
        # The previous holder may have removed the file between our open and flock.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(lock))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()
        os.close(fd)


def _raise_interrupted(signum: int, frame: object) -> None:
    raise BuildInterrupted(signum)


def _staging_prefix(out: Path) -> str:
    return f".{out.name}-building-"


def _abandoned_staging(out: Path) -> list[Path]:
    """Staging folders beside ``out`` that carry the marker of a build into ``out``.

    Only while holding ``out``'s lock are they abandoned: a live build holds it throughout.
    """
    if not out.parent.is_dir():
        return []
    found = []
    for folder in out.parent.glob(glob.escape(_staging_prefix(out)) + "*"):
        marker = folder / STAGING_MARKER
        if folder.is_symlink() or not folder.is_dir():
            continue
        if marker.is_symlink() or not marker.is_file():
            continue
        try:
            record = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and record.get("output") == out.name:
            found.append(folder)
    return sorted(found)


def _remove_abandoned_staging(out: Path) -> list[str]:
    """Remove the staging folders killed builds into ``out`` left; call under its lock."""
    removed = []
    for folder in _abandoned_staging(out):
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    return removed


@contextlib.contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A new hidden folder beside ``out`` to build in, removed however the block ends.

    To be used under :func:`build_lock` of ``out``: it first removes the staging folders that
    builds killed outright left beside ``out`` (see the module docstring). In the main thread
    SIGTERM raises :class:`BuildInterrupted` inside the block (as Ctrl-C raises
    KeyboardInterrupt), so a terminated build cleans up too; a SIGTERM handler already set
    (the command line's, see :mod:`corpusutils.processes`) is kept.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(out)
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(out), dir=out.parent))
    (staging / STAGING_MARKER).write_text(
        json.dumps({"output": out.name, "pid": os.getpid()}), encoding="utf-8"
    )
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a report folder is not
    main = threading.current_thread() is threading.main_thread()
    mine = main and signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None)
    previous = signal.signal(signal.SIGTERM, _raise_interrupted) if mine else None
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if mine:
            signal.signal(signal.SIGTERM, previous)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done (then act as usual).

    They are held back by handlers that only note them, not by blocking them: a process-wide
    signal that the main thread blocks goes to another thread, and Python then runs the
    handler in the main thread all the same, in the middle of the block.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {s: signal.signal(s, lambda signum, frame: noted.append(signum)) for s in _SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        if noted:
            signal.raise_signal(noted[0])  # now handled as usual


def _changed(out: Path, files: dict[str, str]) -> list[str]:
    """Listed files that are no longer what the build wrote (edited, replaced, linked)."""
    changed = []
    for rel, digest in files.items():
        path = out / rel
        if path.is_symlink() or (path.exists() and (not path.is_file() or _sha256(path) != digest)):
            changed.append(rel)
    return changed


def publish(staging: Path, out: Path) -> None:
    """Move every file of ``staging`` into ``out`` and record them in ``out``'s marker.

    ``out`` must have passed :func:`check_output_folder` (under :func:`build_lock`). Listed
    files of the previous build that this one does not write are removed; nothing else is
    touched. Raises :class:`OutputError`, before changing anything, when a file of the previous
    build was changed since, or when a file not written by a build is where this one writes.
    Ctrl-C or SIGTERM while the files move waits until they all have; the KeyboardInterrupt
    then raised carries ``reports_updated = True``.
    """
    written = [
        e for e in _entries(staging)
        if (staging / e).is_file() and e not in (MARKER, STAGING_MARKER)
    ]
    created = [e for e in _entries(staging) if (staging / e).is_dir()]
    previous = _previous_build(out) if out.is_dir() else None
    old_files = previous["files"] if previous else {}
    changed = _changed(out, old_files)
    in_the_way = [
        e for e in written + created
        if e not in old_files and e not in (previous or {}).get("folders", [])
        and (out / e).exists() and not ((out / e).is_dir() and e in created)
    ]
    if changed or in_the_way:
        problems = []
        if changed:
            problems.append(f"changed since the last build wrote them: {_listing(changed)}")
        if in_the_way:
            problems.append(f"not written by a build, where this one writes: "
                            f"{_listing(in_the_way)}")
        raise OutputError(f"{out}: reports not updated; files {'; '.join(problems)}")
    record = {
        "written_by": "corpusutils report builder; replaced and removed only as listed here",
        "files": {e: _sha256(staging / e) for e in written},
        "folders": sorted(set(created) | set((previous or {}).get("folders", []))),
    }
    try:
        with _signals_deferred():
            _move(staging, out, record, created, written, old_files)
    except KeyboardInterrupt as exc:  # deferred until every file had moved: they all have
        exc.reports_updated = True
        raise


def _move(
    staging: Path, out: Path, record: dict, created: list[str], written: list[str],
    old_files: dict[str, str],
) -> None:
    """The moves of :func:`publish`, the marker last."""
    if not out.exists():
        (staging / MARKER).write_text(json.dumps(record, indent=1), encoding="utf-8")
        (staging / STAGING_MARKER).unlink(missing_ok=True)
        staging.rename(out)  # the whole build appears at once
        return
    for rel in created:
        (out / rel).mkdir(exist_ok=True)
    for rel in written:
        os.replace(staging / rel, out / rel)
    for rel in sorted(set(old_files) - set(written)):
        with contextlib.suppress(FileNotFoundError):
            (out / rel).unlink()
    _write_marker(out, record)


def _write_marker(out: Path, record: dict) -> None:
    fd, temporary = tempfile.mkstemp(prefix=f"{MARKER}.", dir=out)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=1)
    os.chmod(temporary, 0o666 & ~_umask())
    os.replace(temporary, out / MARKER)


def remove_build(out: str | Path) -> list[str]:
    """Remove what the last build wrote into ``out``, and nothing else; returns what stays.

    Files changed since the build wrote them stay, as does anything the build did not write;
    the folders it created go only once empty, and ``out`` itself only when nothing is left.
    A folder without a marker is left alone (:class:`OutputError`). Staging folders that
    builds killed outright left beside ``out`` are removed too (:class:`OutputError` while a
    build is running).
    """
    path = Path(os.path.expanduser(str(out))).resolve()
    if _abandoned_staging(path) or os.path.lexists(_lock_path(path)):
        with build_lock(path):  # refused while a build runs; removes a dead build's lock file
            _remove_abandoned_staging(path)
    if not path.exists():
        return []
    previous = _previous_build(path) if path.is_dir() else None
    if previous is None:
        raise OutputError(f"{out}: not removed: no report build wrote this folder")
    with build_lock(path), _signals_deferred():
        changed = set(_changed(path, previous["files"]))
        for rel in previous["files"]:
            if rel not in changed:
                with contextlib.suppress(FileNotFoundError):
                    (path / rel).unlink()
        for rel in sorted(previous.get("folders", []), key=lambda r: -r.count("/")):
            with contextlib.suppress(OSError):
                (path / rel).rmdir()  # only when empty
        with contextlib.suppress(FileNotFoundError):
            (path / MARKER).unlink()
        with contextlib.suppress(OSError):
            path.rmdir()
    return _entries(path) if path.exists() else []


def main(argv: Sequence[str] | None = None) -> int:
    """``python corpusutils/publish.py remove DIR``: remove a build, say what stays.

    >>> main(["remove", "no/such/folder"])
    0
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] != "remove":
        print("usage: python corpusutils/publish.py remove DIR", file=sys.stderr)
        return 2
    try:
        kept = remove_build(args[1])
    except OutputError as exc:
        print(f"nothing removed: {exc}", file=sys.stderr)
        return 1
    if kept:
        print(f"{args[1]}: kept what the build did not write: {_listing(kept)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
