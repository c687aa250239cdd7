"""Output folders: a build replaces or removes only what a build wrote, never anything else.

One test per case: each snapshots every file, link and folder the build did not write (hidden
ones included) and asserts they are byte-identical afterwards. The notebooks are tiny ones
written here (one kernel start each); the refusals happen before any notebook runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from corpusutils.publish import MARKER, STAGING_MARKER
from corpusutils.report import ReportError, build_reports

pytestmark = pytest.mark.hostile

ROOT = Path(__file__).resolve().parents[1]


def write_notebook(path: Path, heading: str, code: str) -> Path:
    """A one-cell notebook with the parameters cell the report builder fills in."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["language_info"] = {"name": "python"}
    params = new_code_cell('corpus = ""\noutput_dir = ""\nby = "agency"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [new_markdown_cell(f"# {heading}"), params, new_code_cell(code)]
    nbformat.write(nb, path)
    return path


def snapshot(root: Path, *, skip: Path | None = None) -> dict[str, object]:
    """Every entry under ``root``: file bytes, link targets, folders (hidden ones included)."""
    found: dict[str, object] = {}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(dirpath) / name
            if skip is not None and (path == skip or skip in path.parents):
                continue
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                found[rel] = "folder"
            else:
                found[rel] = path.read_bytes()
    return found


def make_tree(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks")
    write_notebook(
        folder / "01-figure.ipynb",
        "A figure",
        "from pathlib import Path\n"
        "(Path(output_dir) / 'figures' / '01-count.csv').write_text('n\\n5\\n')\n"
        "(Path(output_dir) / 'figures' / '01-count.png').write_bytes(b'\\x89PNG made here')",
    )
    return folder


@pytest.fixture(scope="module")
def other_notebooks(tmp_path_factory) -> Path:
    """A later version of the notebooks: another figure, the first one gone."""
    folder = tmp_path_factory.mktemp("other-notebooks")
    write_notebook(
        folder / "01-figure.ipynb",
        "Another figure",
        "from pathlib import Path\n"
        "(Path(output_dir) / 'figures' / '01-share.csv').write_text('share\\n0.5\\n')",
    )
    return folder


@pytest.fixture(scope="module")
def slow_notebooks(tmp_path_factory) -> Path:
    """A notebook that says it has started, then waits for a file named 'go' beside it."""
    folder = tmp_path_factory.mktemp("slow-notebooks")
    go = folder / "go"
    write_notebook(
        folder / "01-slow.ipynb",
        "Slow",
        "import time\nfrom pathlib import Path\n"
        "(Path(output_dir) / 'figures' / 'started').write_text('yes')\n"
        f"while not Path({str(go)!r}).exists():\n    time.sleep(0.1)",
    )
    return folder


@pytest.fixture(scope="module")
def two_slow_notebooks(slow_notebooks, tmp_path_factory) -> Path:
    """Two slow notebooks: with two workers, each runs in a worker process of the build."""
    folder = tmp_path_factory.mktemp("two-slow-notebooks")
    for name in ("01-slow.ipynb", "02-slow.ipynb"):
        shutil.copyfile(slow_notebooks / "01-slow.ipynb", folder / name)
    return folder


# A kernel that starts and never answers: a build interrupted while it waits for its kernel to
# be ready. It has none of ipykernel's watch for its parent's end, so it stays unless stopped.
HUNG_KERNEL = """
import os, sys, time
from pathlib import Path
Path(sys.argv[1]).write_text(str(os.getpid()))
time.sleep(600)
"""


@pytest.fixture
def hung_kernel(tmp_path_factory) -> tuple[Path, Path]:
    """A Jupyter data folder whose "python3" kernel is :data:`HUNG_KERNEL`, and the file in
    which the kernel writes its process id."""
    folder = tmp_path_factory.mktemp("jupyter")
    started = folder / "kernel-pid"
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", HUNG_KERNEL, str(started), "{connection_file}"],
        "display_name": "Python 3", "language": "python",
    }), encoding="utf-8")
    return folder, started


@pytest.fixture(scope="module")
def first_build(notebooks, tmp_path_factory) -> Path:
    """One build of the tiny notebooks; tests that need an earlier build start from a copy."""
    folder = tmp_path_factory.mktemp("first-build")
    (folder / "corpus").mkdir()
    (folder / "corpus" / "a.txt").write_text("The talks went on.\n", encoding="utf-8")
    build_reports(folder / "corpus", folder / "reports", notebooks_dir=notebooks)
    return folder / "reports"


def copy_of(build: Path, out: Path) -> Path:
    shutil.copytree(build, out, symlinks=True)
    return out


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("The minister said the talks would go on.\n", encoding="utf-8")
    return folder


def refused(corpus: Path, out: Path | str, notebooks: Path, match: str) -> None:
    with pytest.raises(ReportError, match=match):
        build_reports(corpus, out, notebooks_dir=notebooks, by="agency")


# Folders that hold things no build wrote are refused, and left exactly as they were.


def test_a_personal_site_folder_is_refused(tmp_path, corpus, notebooks):
    site = make_tree(
        tmp_path / "site",
        {"index.html": b"<h1>me</h1>", "photos/holiday.jpg": b"\xff\xd8jpeg", "thesis.docx": b"PK"},
    )
    before = snapshot(tmp_path)
    refused(corpus, site, notebooks, r"holds files no report build wrote \(index.html, photos")
    assert snapshot(tmp_path) == before


def test_a_folder_with_index_and_notes_is_refused(tmp_path, corpus, notebooks):
    out = make_tree(tmp_path / "reports", {"index.html": b"old", "notes.md": b"# my notes"})
    before = snapshot(tmp_path)
    refused(corpus, out, notebooks, r"\(index.html, notes.md\)")
    assert snapshot(tmp_path) == before


def test_a_folder_holding_only_hidden_entries_is_refused(tmp_path, corpus, notebooks):
    out = make_tree(tmp_path / "reports", {".env": b"SECRET=1", ".git/HEAD": b"ref: main"})
    before = snapshot(tmp_path)
    refused(corpus, out, notebooks, r"\(.env, .git, .git/HEAD\)")
    assert snapshot(tmp_path) == before


def test_a_project_folder_holding_the_corpus_is_refused(tmp_path, notebooks):
    project = make_tree(
        tmp_path / "proj", {"corpus/a.txt": b"The talks went on.\n", "index.html": b"mine"}
    )
    before = snapshot(tmp_path)
    refused(project / "corpus", project, notebooks, "it contains the corpus")
    assert snapshot(tmp_path) == before


def test_the_corpus_folder_itself_is_refused(tmp_path, corpus, notebooks):
    before = snapshot(tmp_path)
    refused(corpus, corpus, notebooks, "it is or lies inside the corpus")
    assert snapshot(tmp_path) == before


def test_a_folder_inside_the_corpus_is_refused(tmp_path, corpus, notebooks):
    before = snapshot(tmp_path)
    refused(corpus, corpus / "reports", notebooks, "it is or lies inside the corpus")
    assert snapshot(tmp_path) == before


def test_the_folder_of_a_corpus_table_is_refused(tmp_path, notebooks):
    data = make_tree(tmp_path / "data", {"articles.csv": b"doc_id,text\na,The talks went on.\n"})
    before = snapshot(tmp_path)
    refused(data / "articles.csv", data, notebooks, "it contains the corpus")
    assert snapshot(tmp_path) == before


def test_a_file_is_refused(tmp_path, corpus, notebooks):
    out = make_tree(tmp_path, {"reports": b"a file, not a folder"}) / "reports"
    before = snapshot(tmp_path)
    refused(corpus, out, notebooks, "it exists and is not a folder")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (".", "it is the current folder"),
        ("..", "it holds the current folder"),
        ("~", "it is the home folder"),
        ("/", "it is the filesystem root"),
    ],
)
def test_current_home_and_root_folders_are_refused(
    tmp_path, corpus, notebooks, monkeypatch, given, reason
):
    home = make_tree(tmp_path / "home", {"keep.txt": b"home file"})
    work = make_tree(tmp_path / "work" / "here", {"keep.txt": b"work file"})
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    before = snapshot(tmp_path)
    refused(corpus, given, notebooks, f"{given}: refused as an output folder: {reason}")
    assert snapshot(tmp_path) == before


# A folder a build wrote is updated: only what the marker lists changes.


def test_a_rebuild_replaces_only_what_the_last_build_wrote(
    first_build, tmp_path, corpus, notebooks, other_notebooks
):
    out = copy_of(first_build, tmp_path / "reports")
    listed = json.loads((out / MARKER).read_text(encoding="utf-8"))["files"]
    assert {"index.html", "01-figure.html", "figures/01-count.png"} <= set(listed)
    mine = {
        "notes.md": b"my notes",
        ".git/config": b"[core]",
        "figures/mine.png": b"my own figure",
        "notebooks/.ipynb_checkpoints/x.ipynb": b"{}",
    }
    make_tree(out, mine)
    build_reports(corpus, out, notebooks_dir=other_notebooks)
    after = snapshot(out)
    assert {k: after[k] for k in mine} == mine
    assert "figures/01-count.png" not in after  # the old build's figure is gone
    assert after["figures/01-share.csv"] == b"share\n0.5\n"
    assert "Another figure" in (out / "01-figure.html").read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".reports*"))  # no staging folder, no lock file


def test_a_file_of_mine_where_the_build_writes_stops_it(
    first_build, tmp_path, corpus, notebooks, other_notebooks
):
    out = copy_of(first_build, tmp_path / "reports")
    make_tree(out, {"figures/01-share.csv": b"my numbers"})
    before = snapshot(tmp_path)
    refused(corpus, out, other_notebooks, r"not written by a build, where this one writes: "
            r"figures/01-share.csv")
    assert snapshot(tmp_path) == before


def test_a_build_file_edited_since_is_not_overwritten(first_build, tmp_path, corpus, notebooks):
    out = copy_of(first_build, tmp_path / "reports")
    (out / "index.html").write_text("my annotated copy", encoding="utf-8")
    before = snapshot(tmp_path)
    refused(corpus, out, notebooks, "changed since the last build wrote them: index.html")
    assert snapshot(tmp_path) == before


def make_clean(out: Path) -> subprocess.CompletedProcess:
    # The Makefile's own python3, not the project's environment: cleaning needs none.
    return subprocess.run(
        ["make", "--no-print-directory", "-s", "clean", f"REPORTS={out}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )


def test_make_clean_removes_only_what_the_build_wrote(first_build, tmp_path, corpus, notebooks):
    out = copy_of(first_build, tmp_path / "reports")
    mine = {"notes.md": b"my notes", ".env": b"SECRET=1", "figures/mine.png": b"mine"}
    make_tree(out, mine)
    done = make_clean(out)
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == {**mine, "figures": "folder"}
    assert "kept what the build did not write" in done.stdout


def test_make_clean_passes_the_folder_name_untouched(first_build, tmp_path):
    odd = "my$reports \"2023\" `touch pwned` it's $(touch pwned2) $HOME"
    out = copy_of(first_build, tmp_path / odd)
    done = make_clean(out)
    assert done.returncode == 0, done.stderr
    assert not out.exists()  # the very folder named, and nothing else
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    assert not list(ROOT.glob("pwned*"))


def test_make_clean_leaves_a_folder_no_build_wrote(tmp_path):
    out = make_tree(tmp_path / "reports", {"index.html": b"mine", "notes.md": b"mine too"})
    before = snapshot(tmp_path)
    done = make_clean(out)
    assert done.returncode != 0
    assert "no report build wrote this folder" in done.stderr
    assert snapshot(tmp_path) == before


# Interrupted and concurrent builds.


def start_build(
    corpus: Path, out: Path, notebooks: Path, **env: str
) -> subprocess.Popen:
    command = [sys.executable, "-m", "corpusutils.report", "--corpus", str(corpus),
               "--out", str(out), "--notebooks", str(notebooks)]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        # A build that hangs is stopped with SIGABRT, which then prints where each thread was.
        env={**os.environ, "PYTHONFAULTHANDLER": "1", **env},
    )


LINUX_PROCESSES = Path("/proc/self/task").is_dir()


def own_groups_below(pid: int) -> list[int]:
    """The processes below ``pid`` that lead a process group of their own: the kernels
    (jupyter_client starts each in a new session). Read from Linux's /proc."""
    found, waiting = [], [pid]
    while waiting:
        parent = waiting.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            for child in children:
                try:
                    group = os.getpgid(child)
                except ProcessLookupError:
                    continue
                (found if group == child else waiting).append(child)
    return sorted(found)


def alive_in_group(group: int) -> list[int]:
    """The processes of a process group that have not ended (zombies count as ended)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_bytes().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != b"Z":
            alive.append(int(stat.parent.name))
    return alive


def assert_no_kernel_left(groups: list[int], grace: float = 2.0) -> None:
    """No process of the kernels' groups is left once the build has ended: the build
    killed them (``grace`` seconds allow for the killed processes to be torn down)."""
    deadline = time.monotonic() + grace
    left = [p for g in groups for p in alive_in_group(g)]
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = [p for g in groups for p in alive_in_group(g)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"kernel processes outlived the build: {left}"


def interrupt(build: subprocess.Popen, how: str, kernels: list[int]) -> str:
    """Send Ctrl-C or SIGTERM; the build must end within 60 s. Returns its stderr.

    A kernel left running keeps the build's output open (it writes to the same stderr), so
    reading that output to its end waits for the kernel: said apart from a build that hangs.
    """
    if how == "Ctrl-C":  # the terminal sends SIGINT to the whole foreground job
        os.killpg(build.pid, signal.SIGINT)
    else:  # `kill PID`
        build.send_signal(signal.SIGTERM)
    try:
        _, stderr = build.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        if build.poll() is not None:
            for group in kernels:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(group, signal.SIGKILL)
            pytest.fail(f"the build ended (status {build.returncode}), but 60 s after {how} "
                        f"a process it started still held its output: its kernel {kernels}?")
        build.send_signal(signal.SIGABRT)
        build.wait(timeout=30)
        for group in kernels:  # they hold the output open
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        _, stderr = build.communicate(timeout=30)
        pytest.fail(f"the build did not stop within 60 s of {how}; where it was:\n{stderr}")
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    return stderr


def assert_interrupted(build: subprocess.Popen, stderr: str, how: str) -> None:
    """Ended as the signal ends a command (130 or 143 in a shell), saying what it did."""
    signum = signal.SIGINT if how == "Ctrl-C" else signal.SIGTERM
    assert build.returncode == -signum, stderr
    assert f"report interrupted ({how}): the reports were not updated" in stderr


def wait_until_started(build: subprocess.Popen, parent: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not list(parent.glob(".*-building-*/figures/started")):
        if build.poll() is not None:
            pytest.fail(f"the build ended before its notebook started: {build.communicate()}")
        if time.monotonic() > deadline:
            os.killpg(build.pid, signal.SIGKILL)
            pytest.fail("the slow notebook did not start in time")
        time.sleep(0.2)


@pytest.mark.parametrize(
    ("how", "side_by_side"), [("Ctrl-C", False), ("SIGTERM", False), ("Ctrl-C", True)]
)
def test_an_interrupted_build_leaves_the_previous_reports_whole_and_no_temporary_folder(
    first_build, tmp_path, corpus, slow_notebooks, two_slow_notebooks, how, side_by_side
):
    """Interrupted while its notebooks run: one in the builder itself, or two side by side
    in worker processes (which Ctrl-C reaches too)."""
    out = copy_of(first_build, tmp_path / "reports")
    before = snapshot(tmp_path)
    if side_by_side:
        build = start_build(corpus, out, two_slow_notebooks, CORPUSUTILS_WORKERS="2")
    else:
        build = start_build(corpus, out, slow_notebooks)
    wait_until_started(build, tmp_path)
    kernels = own_groups_below(build.pid) if LINUX_PROCESSES else []
    while LINUX_PROCESSES and len(kernels) < 1 + side_by_side:  # the second kernel starting
        assert build.poll() is None, build.communicate()
        time.sleep(0.1)
        kernels = own_groups_below(build.pid)
    stderr = interrupt(build, how, kernels)
    assert_interrupted(build, stderr, how)
    assert snapshot(tmp_path) == before  # no staging folder, no lock file, reports untouched
    assert_no_kernel_left(kernels)


@pytest.mark.skipif(not LINUX_PROCESSES, reason="finds the kernel's processes in Linux's /proc")
def test_a_build_interrupted_while_its_kernel_starts_stops_the_kernel(
    first_build, tmp_path, corpus, slow_notebooks, hung_kernel
):
    """Ctrl-C before the kernel answers: the kernel is not yet the notebook client's to shut
    down, and one without a watch on its parent would run on; the build stops it."""
    jupyter_path, kernel_pid = hung_kernel
    out = copy_of(first_build, tmp_path / "reports")
    before = snapshot(tmp_path)
    build = start_build(corpus, out, slow_notebooks, JUPYTER_PATH=str(jupyter_path))
    deadline = time.monotonic() + 120
    while not kernel_pid.exists() or not kernel_pid.read_text():
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "the kernel did not start"
        time.sleep(0.1)
    kernel = int(kernel_pid.read_text())
    assert os.getpgid(kernel) == kernel  # in a session of its own, out of Ctrl-C's reach
    stderr = interrupt(build, "Ctrl-C", [kernel])
    assert_interrupted(build, stderr, "Ctrl-C")
    assert snapshot(tmp_path) == before
    assert_no_kernel_left([kernel])


def test_a_second_build_into_the_same_folder_is_refused_while_the_first_runs(
    tmp_path, corpus, notebooks, slow_notebooks
):
    out = tmp_path / "reports"
    first = start_build(corpus, out, slow_notebooks)
    try:
        wait_until_started(first, tmp_path)
        refused(corpus, out, notebooks, "another build is writing to this folder")
        (slow_notebooks / "go").write_text("go")
        assert first.wait(timeout=120) == 0, first.communicate()
    finally:
        (slow_notebooks / "go").unlink(missing_ok=True)
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    listed = json.loads((out / MARKER).read_text(encoding="utf-8"))["files"]
    assert sorted(listed) == sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MARKER
    )
    assert "Slow" in (out / "01-slow.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "reports"]


def test_ctrl_c_while_the_reports_move_waits_until_they_all_have(
    first_build, tmp_path, monkeypatch
):
    """The window where an interrupt could leave half the reports replaced: it waits."""
    from corpusutils import publish

    out = copy_of(first_build, tmp_path / "reports")
    staging = make_tree(tmp_path / ".reports-building-x", {
        "index.html": b"<p>new index", "01-figure.html": b"<p>new page",
        "figures/01-share.csv": b"share\n0.5\n",
    })
    moving = publish._move

    def interrupted_move(*args: object) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C as the first file is about to move
        # The signal may be taken by the other thread, whose C-level handler then runs when
        # that thread is next scheduled: let it run, so that the interrupt is pending before
        # the moves (else, on a busy machine, it could arrive only once they are done).
        time.sleep(0.2)
        moving(*args)

    monkeypatch.setattr(publish, "_move", interrupted_move)
    # Another thread alive, as in a build (its worker pool's): a signal the main thread
    # blocked would go to it, and Python would still raise in the main thread.
    done = threading.Event()
    other = threading.Thread(target=done.wait, daemon=True)
    other.start()
    try:
        with pytest.raises(KeyboardInterrupt) as stopped:
            publish.publish(staging, out)
    finally:
        done.set()
    assert stopped.value.reports_updated is True
    after = snapshot(out)
    listed = json.loads(after.pop(MARKER))["files"]
    assert sorted(listed) == ["01-figure.html", "figures/01-share.csv", "index.html"]
    assert {k: v for k, v in after.items() if v != "folder"} == {
        "index.html": b"<p>new index", "01-figure.html": b"<p>new page",
        "figures/01-share.csv": b"share\n0.5\n",
    }


# Builds killed outright (SIGKILL): nothing runs in the build to clean up, so the next build or
# `make clean` removes what it left, only what carries the staging marker, never while alive.


def test_a_killed_build_leaves_a_staging_folder_the_next_build_removes(
    first_build, tmp_path, corpus, notebooks, slow_notebooks
):
    out = copy_of(first_build, tmp_path / "reports")
    # A hidden folder named like a staging folder, without the marker: not a build's.
    make_tree(tmp_path, {".reports-building-mine/notes.md": b"not a build's"})
    build = start_build(corpus, out, slow_notebooks)
    try:
        wait_until_started(build, tmp_path)
        (staging,) = (p for p in tmp_path.glob(".reports-building-*") if p.name[-5:] != "-mine")
        done = make_clean(out)  # the build is alive: nothing is removed
        assert done.returncode != 0 and "another build is writing" in done.stderr
        assert (staging / STAGING_MARKER).is_file()
        os.killpg(build.pid, signal.SIGKILL)
        build.wait(timeout=60)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert (staging / "figures" / "started").is_file()  # left behind: nothing could clean up
    before = snapshot(tmp_path, skip=staging)
    assert before.pop(".reports.corpusutils-lock") is not None  # the dead build's lock file
    build_reports(corpus, out, notebooks_dir=notebooks)
    assert not staging.exists()
    after = snapshot(tmp_path)
    untouched = [k for k in before if not k.startswith("reports")]
    assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
    assert after[".reports-building-mine/notes.md"] == b"not a build's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".reports-building-mine", "corpus", "reports"  # no staging folder, no lock file
    ]


HOLD_THE_LOCK = """
import sys, time
from pathlib import Path
from corpusutils.publish import build_lock, staging_folder
out = Path(sys.argv[1])
with build_lock(out), staging_folder(out) as staging:
    (staging / "half-written.html").write_text("<p>")
    print(staging, flush=True)
    time.sleep(600)
"""


def hold_the_lock(out: Path) -> tuple[subprocess.Popen, Path]:
    """A build reduced to its lock and staging folder, alive until killed."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(out)], cwd=ROOT, stdout=subprocess.PIPE,
        text=True,
    )
    staging = Path(holder.stdout.readline().strip())
    assert staging.is_dir(), "the build did not start"
    return holder, staging


def test_make_clean_removes_what_a_killed_first_build_left_and_nothing_else(tmp_path):
    out = tmp_path / "reports"
    # The staging folder of another output folder, "reports-building", is not this one's.
    other = make_tree(tmp_path, {".reports-building-building-x/a.html": b"other"})
    (other / ".reports-building-building-x" / STAGING_MARKER).write_text(
        json.dumps({"output": "reports-building"}), encoding="utf-8"
    )
    before = snapshot(tmp_path)
    holder, staging = hold_the_lock(out)
    try:
        done = make_clean(out)  # alive: refused, its staging folder stays
        assert done.returncode != 0 and "another build is writing" in done.stderr
        assert (staging / "half-written.html").is_file()
    finally:
        holder.kill()  # SIGKILL
        holder.wait(timeout=60)
    assert staging.is_dir() and (tmp_path / ".reports.corpusutils-lock").exists()
    done = make_clean(out)
    assert done.returncode == 0, done.stderr
    assert snapshot(tmp_path) == before  # the staging folder and the lock file are gone


# The command line's bound: however the cleanup after a signal goes, the process ends.

STUCK_COMMAND = """
import subprocess, sys, time
from corpusutils import processes

processes.STOP_WITHIN = float(sys.argv[1])


def main(argv):
    # a kernel: a process in a session of its own, which Ctrl-C does not reach
    kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                              start_new_session=True)
    print(kernel.pid, flush=True)
    try:
        if sys.argv[2] == "in-del":
            WithSlowDel()  # collected at once: the signal lands in its __del__
            while True:
                time.sleep(0.05)
        time.sleep(600)
    except KeyboardInterrupt as exc:
        if sys.argv[2] == "stuck":
            time.sleep(600)  # a cleanup that never ends
        kernel.kill()
        kernel.wait()
        return processes.interrupt_status(exc)


class WithSlowDel:
    def __del__(self):
        time.sleep(2.0)


processes.run_command(main)
"""


def start_command(stop_within: float, cleanup: str) -> tuple[subprocess.Popen, int]:
    command = subprocess.Popen(
        [sys.executable, "-c", STUCK_COMMAND, str(stop_within), cleanup], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    kernel = int(command.stdout.readline())
    return command, kernel


@pytest.mark.skipif(not LINUX_PROCESSES, reason="finds the kernel's processes in Linux's /proc")
@pytest.mark.parametrize("how", ["Ctrl-C", "SIGTERM"])
def test_a_command_whose_cleanup_never_ends_stops_its_kernels_and_ends(how):
    command, kernel = start_command(2.0, "stuck")
    time.sleep(0.5)  # inside main
    stderr = interrupt(command, how, [kernel])
    signum = signal.SIGINT if how == "Ctrl-C" else signal.SIGTERM
    assert command.returncode == 128 + signum, stderr  # ended by its timer: an exit status
    assert f"did not stop within 2 s of {signal.Signals(signum).name}" in stderr
    assert 'File "<string>"' in stderr  # where it was stuck
    assert_no_kernel_left([kernel])


@pytest.mark.skipif(not LINUX_PROCESSES, reason="finds the kernel's processes in Linux's /proc")
def test_a_second_ctrl_c_ends_the_command_at_once():
    command, kernel = start_command(600.0, "stuck")
    time.sleep(0.5)
    os.killpg(command.pid, signal.SIGINT)
    time.sleep(0.5)
    stderr = interrupt(command, "Ctrl-C", [kernel])  # long before the 600 s
    assert command.returncode == -signal.SIGINT, stderr
    assert_no_kernel_left([kernel])


@pytest.mark.skipif(not LINUX_PROCESSES, reason="finds the kernel's processes in Linux's /proc")
def test_ctrl_c_landing_in_a_del_method_still_interrupts_the_command():
    """Python drops an exception raised in ``__del__``; the interrupt is raised again."""
    command, kernel = start_command(20.0, "in-del")
    time.sleep(1.0)
    stderr = interrupt(command, "Ctrl-C", [kernel])
    assert command.returncode == -signal.SIGINT, stderr  # main returned 130, not its timer
    assert "Exception ignored in" in stderr  # it did land in __del__
    assert_no_kernel_left([kernel])
