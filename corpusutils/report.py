"""Build the HTML reports: run every notebook on a corpus and publish the results.

``python -m corpusutils.report --corpus PATH --out DIR [--by agency]`` (or ``make report``)
executes each notebook in ``notebooks/`` with papermill, passing the parameters ``corpus``,
``output_dir``, ``by``, the researcher's lexicons (``actor_file``, ``frame_files``,
``term_file``: ``--actors``, ``--frames``, ``--terms``) and the smallest group a finding may be
stated about (``min_articles``, ``min_sentences``), and writes into ``DIR``:

``NN-name.html``
    Each executed notebook as a page: its text, tables and figures, without the code.
``notebooks/NN-name.ipynb``
    The executed notebooks themselves, code included, to see how each number was made.
``figures/*.png`` and ``figures/*.csv``
    Every figure, each next to the CSV of the numbers it shows.
``cleaned-corpus.parquet``
    The corpus as loaded and cleaned once for all the notebooks (``load_corpus`` reads it
    back as it was, raw text, repairs and removed spans included).
``lexicons/``
    The actor list, frame lexicons and term sets the reports used: copies of the files given,
    or ``actors.csv`` derived from the corpus (its most frequent names) when none was given,
    to read, edit and pass back with ``--actors``.
``index.html``
    Links to every report (titled by each notebook's first heading) and every figure.

The reports are built in a temporary folder next to ``DIR`` and moved into place only when
every notebook has run without error, so a failed or interrupted run (Ctrl-C, SIGTERM) never
leaves a report that looks complete, and leaves the previous one whole. A failing cell raises
:class:`ReportError` naming the notebook and the cell. ``DIR`` gets a marker file listing what
the build wrote; a later build replaces only that, and a folder holding anything else, or the
corpus, is refused (see :mod:`corpusutils.publish`, which also keeps two builds from writing to
one folder at once).

A corpus no report could show anything for (no text left after cleaning) stops the build
before any notebook runs. Otherwise every notebook runs, with the notes of
:mod:`corpusutils.reasons` after its parameters cell (missing group labels, articles left out
of the English-only measures), and with the reason in place of the cells that need what the
corpus lacks (no article in English, say).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import html
import logging
import multiprocessing
import multiprocessing.pool
import os
import queue
import re
import shutil
import signal
import string
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from numbers import Number
from pathlib import Path

import pandas as pd

from corpusutils.derived import Tables, save_tables
from corpusutils.load import CorpusError, load_corpus, save_corpus
from corpusutils.parallel import default_workers
from corpusutils.processes import (
    interrupt_status,
    kernel_groups,
    run_command,
    stop_kernels,
    stop_workers,
)
from corpusutils.publish import (
    OutputError,
    build_lock,
    check_output_folder,
    publish,
    staging_folder,
)
from corpusutils.reasons import corpus_notes, label_missing_groups, no_text_left, section_reason

__all__ = ["ReportError", "build_reports", "finding", "main"]

log = logging.getLogger(__name__)

#: The cleaned corpus the notebooks read, published beside the reports.
CLEANED_CORPUS = "cleaned-corpus.parquet"

#: Notebooks run and published, in reading order: ``NN-name.ipynb``.
NOTEBOOK_PATTERN = re.compile(r"^\d\d-[\w.-]+\.ipynb$")

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|])")


@functools.cache
def local_kernel_manager() -> type:
    """A kernel manager that talks to the kernel over local (IPC) sockets, never over TCP.

    Made on first use: every notebook imports this module (for :func:`finding`), and none of
    them needs jupyter_client.

    >>> local_kernel_manager()().transport
    'ipc'
    """
    from jupyter_client.manager import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: object) -> None:
            kwargs.setdefault("transport", "ipc")
            super().__init__(**kwargs)

    return LocalKernelManager


class ReportError(RuntimeError):
    """A report could not be built; the message names the notebook and the cell that failed."""


@dataclass(frozen=True)
class _Report:
    notebook: Path
    html_name: str
    title: str
    question: str


def finding(template: str, /, **values: object) -> object:
    """Markdown for a notebook, with ``values`` escaped so article text shows as text.

    Numbers keep their format specs (``{mean:.2f}``); every other value is escaped for HTML
    and Markdown, so a quote containing ``<script>`` or ``*`` is shown, never interpreted.
    Returns an ``IPython.display.Markdown`` object (a notebook cell displays it).

    >>> finding("The most negative group is **{group}** (n={n}).", group="<b>AP</b>", n=2).data
    'The most negative group is **&lt;b&gt;AP&lt;/b&gt;** (n=2).'
    """
    from IPython.display import Markdown

    safe = {k: v if isinstance(v, Number) else _escape_text(str(v)) for k, v in values.items()}
    return Markdown(template.format(**safe))


def _escape_text(text: str) -> str:
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


#: What a build does with near-duplicate articles: flag them only, or analyse one per cluster.
DUPLICATE_POLICIES = ("flag", "keep-one")


def default_notebooks_dir() -> Path:
    """The ``notebooks/`` folder of the source tree this package was loaded from.

    >>> default_notebooks_dir().name
    'notebooks'
    """
    return Path(__file__).resolve().parents[1] / "notebooks"


def build_reports(
    corpus: str | Path,
    out: str | Path,
    *,
    notebooks_dir: str | Path | None = None,
    by: str = "agency",
    text_column: str = "text",
    duplicates: str = "flag",
    actors: str | Path | None = None,
    frames: Sequence[str | Path] | str | Path | None = None,
    terms: str | Path | None = None,
    min_articles: int = 1,
    min_sentences: int = 10,
    story: str = "auto",
    kernel_name: str = "python3",
) -> Path:
    """Run every ``NN-name.ipynb`` notebook on ``corpus`` and write the reports to ``out``.

    ``story`` is passed to the notebooks: a column of the corpus naming each article's story,
    or "auto" to find the stories (see :func:`corpusutils.find_stories`).

    ``text_column`` names the text column of a table corpus (see
    :func:`corpusutils.load_corpus`). Near-duplicate articles are flagged in the cleaned
    corpus (:func:`corpusutils.flag_duplicates`); ``duplicates="keep-one"`` analyses one
    article per cluster and lists the others on the index page. ``actors``: an actor list CSV
    (:func:`corpusutils.load_actors`); without one, the corpus's most frequent names
    (:func:`corpusutils.frequent_names`). ``frames``: frame lexicon CSV files, or
    ``"generic"`` (the default: the five generic news frames). ``terms``: word-choice term
    sets (:func:`corpusutils.load_term_sets`); without them the framing report compares no
    word choice. A group with fewer than ``min_articles`` articles or ``min_sentences``
    sentences is shown, but no finding is stated about it.

    Relative paths resolve against the current directory. Returns the path of
    ``out/index.html``. Raises :class:`ReportError` (naming the notebook and cell) when a
    notebook fails; ``out`` is then left as it was before the call.

    >>> build_reports("no/such/corpus", "reports")
    Traceback (most recent call last):
    ...
    corpusutils.report.ReportError: no/such/corpus: no such folder or file
    """
    corpus_path = Path(corpus).resolve()
    if not corpus_path.exists():
        raise ReportError(f"{corpus}: no such folder or file")
    notebooks = _notebooks(Path(notebooks_dir) if notebooks_dir else default_notebooks_dir())
    out_path = _output_folder(out, corpus_path)
    if min_articles < 1 or min_sentences < 0:
        raise ReportError("min_articles must be at least 1 and min_sentences at least 0")
    with _notebook_pool(len(notebooks)) as pool:
        return _build(
            pool, corpus, corpus_path, out_path, notebooks, by, text_column, duplicates, actors,
            frames, terms, min_articles, min_sentences, story, kernel_name,
        )


def _build(
    pool: _Pool | None,
    corpus: str | Path,
    corpus_path: Path,
    out_path: Path,
    notebooks: list[Path],
    by: str,
    text_column: str,
    duplicates: str,
    actors: str | Path | None,
    frames: Sequence[str | Path] | str | Path | None,
    terms: str | Path | None,
    min_articles: int,
    min_sentences: int,
    story: str,
    kernel_name: str,
) -> Path:
    """The build of :func:`build_reports`, its notebooks run in ``pool`` (None: here)."""
    docs = _load_once(corpus_path, by, text_column, duplicates)
    if story != "auto" and story not in docs.columns:
        raise ReportError(
            f"{corpus}: no story column {story!r}; its columns are "
            + ", ".join(map(repr, docs.columns)) + ' (or story="auto" to find the stories)'
        )
    sizes = docs.groupby(by, sort=True).size()
    groups = {str(k): int(v) for k, v in sizes.items()}
    skipped = list(docs.attrs.get("skipped", []))

    published = False
    try:
        with build_lock(out_path), staging_folder(out_path) as staging:
            (staging / "figures").mkdir()
            (staging / "notebooks").mkdir()
            # Every notebook reads the corpus cleaned once here, not cleaned again six times.
            cleaned = save_corpus(docs, staging / CLEANED_CORPUS)
            lexicons = _lexicons(docs, staging / "lexicons", actors, frames, terms)
            # The tables several notebooks start from, computed once for all of them.
            save_tables(Tables(docs, by=by, story=story, actors=lexicons["actor_file"]), cleaned)
            parameters = {
                "corpus": str(cleaned),
                "output_dir": str(staging),
                "by": by,
                **lexicons,
                "min_articles": int(min_articles),
                "min_sentences": int(min_sentences),
                "story": story,
            }
            jobs = [
                _Job(nb, parameters, staging, corpus_path, kernel_name, _prepared(nb, docs, by))
                for nb in notebooks
            ]
            reports = _run_notebooks(jobs, pool)
            _write_index(staging, reports, corpus_path, by, groups, skipped)
            publish(staging, out_path)
            published = True
    except OutputError as exc:
        raise ReportError(str(exc)) from None
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: say whether it came too late to stop
        exc.reports_updated = published or getattr(exc, "reports_updated", False)
        raise
    return out_path / "index.html"


def _output_folder(out: str | Path, corpus: Path) -> Path:
    """The output folder, checked before any work (see :mod:`corpusutils.publish`)."""
    try:
        return check_output_folder(out, protected=[corpus])
    except OutputError as exc:
        raise ReportError(str(exc)) from None


def _notebooks(folder: Path) -> list[Path]:
    found = sorted(p for p in folder.glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))
    if not found:
        raise ReportError(f"{folder}: no notebooks named NN-name.ipynb to run")
    return found


def _load_once(
    corpus: Path, by: str, text_column: str = "text", duplicates: str = "flag"
) -> pd.DataFrame:
    """The cleaned corpus, loaded before any notebook runs so a bad corpus fails at once."""
    from corpusutils.duplicates import flag_duplicates, keep_one_per_cluster

    if duplicates not in DUPLICATE_POLICIES:
        raise ReportError(
            f"duplicates must be one of {', '.join(DUPLICATE_POLICIES)}, not {duplicates!r}"
        )
    try:
        docs = load_corpus(corpus, text_column=text_column)
    except CorpusError as exc:
        raise ReportError(f"the corpus cannot be loaded: {exc}") from None
    attrs = docs.attrs
    docs = flag_duplicates(docs)
    if duplicates == "keep-one":
        left_out = docs[docs["duplicate_of"].notna()]
        docs = keep_one_per_cluster(docs)
        attrs = {**attrs, "skipped": [
            *attrs.get("skipped", []),
            *({"file": str(doc_id), "problem": f"near-duplicate of {of}, left out "
               "(duplicates=keep-one)"}
              for doc_id, of in zip(left_out["doc_id"], left_out["duplicate_of"], strict=True)),
        ]}
    docs.attrs = attrs
    if by not in docs.columns:
        raise ReportError(
            f"{corpus}: no column {by!r} to group by (columns: {', '.join(docs.columns)})"
        )
    reason = no_text_left(docs)
    if reason:
        raise ReportError(f"{corpus}: {reason}")
    return label_missing_groups(docs, by)


def _prepared(notebook: Path, docs: pd.DataFrame, by: str) -> object:
    """The notebook as run on this corpus (see :mod:`corpusutils.reasons`).

    The corpus notes follow the parameters cell; when the corpus lacks what the notebook
    needs, the reason replaces everything after the parameters cell, and cells tagged
    ``needs-english`` give way to one reason where the first of them stood. None for a
    notebook that cannot be read (running it then says why).
    """
    import nbformat

    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:  # unreadable JSON, an unknown format ...
        return None
    needs = dict(nb.metadata.get("corpusutils", {}))
    tagged = [c for c in nb.cells if "needs-english" in c.metadata.get("tags", [])]
    if tagged:
        needs["needs"] = "english"
    whole = None if tagged else section_reason(docs, needs)
    partial = section_reason(docs, needs) if tagged else None
    cells = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if partial and "needs-english" in tags:
            if cell is tagged[0]:
                cells.append(_note_cell([partial]))
            continue
        cells.append(cell)
        if "parameters" in tags:
            cells.append(_note_cell([whole] if whole else corpus_notes(docs, by, needs)))
            if whole:
                break
    nb.cells = [c for c in cells if c is not None]
    return nb


def _note_cell(notes: list[str]) -> object:
    from nbformat.v4 import new_markdown_cell

    return new_markdown_cell("\n\n".join(_escape_text(n) for n in notes)) if notes else None


def _lexicons(
    docs: pd.DataFrame,
    folder: Path,
    actors: str | Path | None,
    frames: Sequence[str | Path] | str | Path | None,
    terms: str | Path | None,
) -> dict[str, object]:
    """Check the lexicons before any notebook runs, and publish the ones used in ``folder``.

    Returns the notebook parameters ``actor_file``, ``frame_files`` and ``term_file``.
    """
    from corpusutils.framing import PACKAGED_LEXICONS, load_frame_lexicon, load_term_sets
    from corpusutils.names import frequent_names
    from corpusutils.sentiment import load_actors

    folder.mkdir()
    if frames is None:
        frames = ["generic"]
    elif isinstance(frames, str | Path):
        frames = [frames]

    def publish(path: str | Path) -> Path:
        """A copy under the file's own name (numbered if two files share it)."""
        name, n = Path(path).name, 1
        while (folder / name).exists():
            n += 1
            name = f"{Path(path).stem}-{n}{Path(path).suffix}"
        return Path(shutil.copyfile(path, folder / name))

    try:
        if actors is None:
            actor_file = folder / "actors.csv"
            frequent_names(docs).to_csv(actor_file, index=False)
        else:
            load_actors(actors)
            actor_file = publish(actors)
        frame_files = []
        for one in frames:
            load_frame_lexicon(one)
            packaged = str(one) in PACKAGED_LEXICONS
            frame_files.append(str(one) if packaged else str(publish(one)))
        term_file = None
        if terms is not None:
            load_term_sets(terms)
            term_file = publish(terms)
    except (OSError, ValueError) as exc:
        raise ReportError(f"a lexicon cannot be used: {exc}") from None
    return {
        "actor_file": str(actor_file),
        "frame_files": frame_files,
        "term_file": None if term_file is None else str(term_file),
    }


@dataclass(frozen=True)
class _Job:
    """One notebook to run with ``parameters`` and publish into ``staging``."""

    notebook: Path
    parameters: dict
    staging: Path
    source: Path
    kernel_name: str
    #: The notebook as it runs on this corpus, with its notes (see :func:`_prepared`).
    prepared: object = None


def _run_job(job: _Job, kernel_workers: int | None = None) -> tuple[_Report, float]:
    """Execute one notebook and write its page; runs in a worker process of the build."""
    if kernel_workers is not None:
        # The notebooks run side by side: their kernels share the cores between them.
        os.environ["CORPUSUTILS_WORKERS"] = str(kernel_workers)
    started = time.perf_counter()
    executed = job.staging / "notebooks" / job.notebook.name
    nb = _execute(job.notebook, executed, job.parameters, job.kernel_name, prepared=job.prepared)
    report = _write_html(job.notebook, nb, job.staging, job.source)
    return report, time.perf_counter() - started


@dataclass(frozen=True)
class _Pool:
    """The worker processes that run the notebooks, ``workers`` of them."""

    processes: multiprocessing.pool.Pool
    workers: int


def _start_worker() -> None:
    """A worker's start: Ctrl-C, which reaches every process of the terminal's job, is left to
    the builder, which stops the workers and their kernels itself (a worker killed by it
    halfway could leave its kernel running, or the pool's queue locked)."""
    signal.signal(signal.SIGINT, _ignore)  # not SIG_IGN: the kernels it starts keep Ctrl-C
    _warm_up()


def _ignore(signum: int, frame: object) -> None:
    """A signal handler that does nothing."""


def _warm_up() -> None:
    """Import what running a notebook and writing its page need (in a worker, at its start)."""
    import jupyter_client.manager  # noqa: F401
    import nbconvert  # noqa: F401
    import nbformat  # noqa: F401
    import papermill  # noqa: F401


@contextlib.contextmanager
def _notebook_pool(n_notebooks: int) -> Iterator[_Pool | None]:
    """As many worker processes as notebooks can run at once (``CORPUSUTILS_WORKERS``, else
    the cores), or None for one at a time. Started before the corpus is loaded, so that the
    workers import papermill and nbconvert while the builder loads the corpus and computes
    its tables."""
    workers = min(default_workers(), n_notebooks)
    if workers <= 1:
        yield None
        return
    # A fresh interpreter per worker: forking a builder that holds threads (pyarrow's) is unsafe.
    processes = multiprocessing.get_context("spawn").Pool(workers, initializer=_start_worker)
    try:
        yield _Pool(processes, workers)
    finally:
        stop_workers(processes)


def _run_notebooks(jobs: Sequence[_Job], pool: _Pool | None = None) -> list[_Report]:
    """Run every job, as many at once as ``pool`` has workers (one at a time without a pool),
    and return the reports in the jobs' order.

    With several workers the last notebook starts first: the later notebooks analyse more
    (the overview and the corpus report are the lightest), and starting the longest first
    keeps one worker from running a long notebook alone at the end.
    After a failure no further notebook starts; those running finish, and the
    :class:`ReportError` of the first failed notebook in reading order is raised, so the
    message does not depend on which kernel was quicker.

    However the run ends, no kernel it started outlives it: when it is interrupted (or
    fails), the kernels still running are killed and the workers stopped before the
    exception leaves, so that nothing writes into the staging folder once it is removed.
    """
    before = kernel_groups()  # processes of a Python session this build runs in: not ours
    try:
        return _run_all(jobs, pool)
    except BaseException:
        stop_kernels(exclude=before)
        if pool is not None:
            stop_workers(pool.processes)
        raise


def _run_all(jobs: Sequence[_Job], pool: _Pool | None) -> list[_Report]:
    """The loop of :func:`_run_notebooks`."""
    if pool is None:
        return [_logged(job, *_run_job(_started(job))) for job in jobs]
    kernel_workers = max(1, default_workers() // pool.workers)
    finished: queue.SimpleQueue = queue.SimpleQueue()
    waiting, running = list(reversed(jobs)), 0
    reports: dict[Path, _Report] = {}
    failures: dict[Path, BaseException] = {}
    while waiting or running:
        while waiting and running < pool.workers and not failures:
            job = _started(waiting.pop(0))
            pool.processes.apply_async(
                _run_job,
                (job, kernel_workers),
                callback=lambda result, job=job: finished.put((job, result, None)),
                error_callback=lambda error, job=job: finished.put((job, None, error)),
            )
            running += 1
        if not running:
            break
        job, result, error = finished.get()
        running -= 1
        if error is None:
            reports[job.notebook] = _logged(job, *result)
        else:
            failures[job.notebook] = error
    if failures:  # the pool's end (see _notebook_pool) stops the workers and their kernels
        raise failures[min(failures, key=lambda nb: [j.notebook for j in jobs].index(nb))]
    return [reports[job.notebook] for job in jobs]


def _started(job: _Job) -> _Job:
    log.info("running %s", job.notebook.name)
    return job


def _logged(job: _Job, report: _Report, seconds: float) -> _Report:
    log.info("ran %s in %.1f s", job.notebook.name, seconds)
    return report


def _execute(
    notebook: Path, executed: Path, parameters: dict, kernel_name: str, *, prepared: object = None
) -> object:
    """Run ``notebook`` (or its ``prepared`` form) into ``executed``; returns the executed
    notebook, as written there."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    workdir = Path(tempfile.mkdtemp(prefix="run-", dir=parameters["output_dir"]))
    try:
        return papermill.execute_notebook(
            str(notebook) if prepared is None else prepared,
            str(executed),
            parameters=parameters,
            kernel_name=kernel_name,
            progress_bar=False,
            cwd=str(workdir),
            kernel_manager_class=local_kernel_manager(),
            # Once the last cell has run, its outputs are in the notebook and its files are
            # closed: the kernel's process group is killed rather than asked to exit, which
            # costs a second per notebook and, when the request crosses the interrupt that
            # precedes it, several.
            shutdown_kernel="immediate",
            # written once, when it has run (or failed): nobody reads it half-way, and each
            # save serialises every output so far, figures included
            request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as exc:
        raise ReportError(_failure_message(notebook, exc)) from None
    except Exception as exc:  # a dead kernel, a timeout, an unreadable notebook ...
        raise ReportError(
            f"{notebook.name}: could not be run ({type(exc).__name__}: {exc}); "
            "the reports were not updated"
        ) from exc
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _failure_message(notebook: Path, exc: Exception) -> str:
    """Name the failing cell by its position in the notebook as written (1-based)."""
    import nbformat

    # papermill counts cells of the executed notebook, which holds one more cell: the
    # injected parameters, right after the parameters cell (or first, when there is none).
    position = getattr(exc, "cell_index", -1)
    cells = nbformat.read(notebook, as_version=4).cells
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])]
    injected = tagged[0] + 1 if tagged else 0
    if position > injected:
        position -= 1
    # The notebook run may hold notes the written one does not: find the cell by its code.
    same = [i for i, c in enumerate(cells) if c.source == getattr(exc, "source", None)]
    position = same[0] if len(same) == 1 else position
    source = str(getattr(exc, "source", "")).strip().splitlines()
    first_line = source[0] if source else ""
    return (
        f"{notebook.name}: cell {position + 1} failed "
        f"({getattr(exc, 'ename', 'error')}: {getattr(exc, 'evalue', exc)})\n"
        f"  the cell begins: {first_line}\n"
        f"  open {notebook} to see it; the reports were not updated"
    )


def _title_and_question(cells: Sequence[dict]) -> tuple[str, str]:
    """The first Markdown heading, and the paragraph that follows it."""
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        lines = str(cell.get("source", "")).splitlines()
        for i, line in enumerate(lines):
            if line.startswith("#"):
                title = line.lstrip("#").strip()
                rest = "\n".join(lines[i + 1 :]).strip().split("\n\n")[0]
                return title, re.sub(r"^\**Question\.\**\s*", "", " ".join(rest.split()))
    return "", ""


def _write_html(notebook: Path, nb: object, staging: Path, corpus: Path) -> _Report:
    """Write the page of ``nb``, the executed ``notebook``, into ``staging``."""
    from nbconvert import HTMLExporter

    title, question = _title_and_question(nb.cells)
    title = title or notebook.stem
    nb.metadata["title"] = title
    templates = resources.files("corpusutils") / "data" / "report"
    exporter = HTMLExporter(
        template_name="lab",
        extra_template_basedirs=[],
        extra_template_paths=[str(templates)],
        template_file="report.html.j2",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    extra = {
        "report_css": (templates / "report.css").read_text(encoding="utf-8"),
        # the corpus by its name only: a page never shows the machine's paths
        "report_source": f"{notebook.name} on {corpus.name}",
    }
    body, _ = exporter.from_notebook_node(nb, resources=extra)
    html_name = f"{notebook.stem}.html"
    (staging / html_name).write_text(body, encoding="utf-8")
    return _Report(notebook, html_name, title, question)


def _write_index(
    staging: Path,
    reports: list[_Report],
    corpus: Path,
    by: str,
    groups: dict[str, int],
    skipped: list[dict[str, str]],
) -> None:
    templates = resources.files("corpusutils") / "data" / "report"
    esc = html.escape
    report_items = "\n".join(
        f'<li><a class="title" href="{esc(r.html_name)}">{esc(r.title)}</a>'
        f'<p class="question">{esc(_plain(r.question))}</p>'
        f'<span class="links"><a href="notebooks/{esc(r.notebook.name)}">'
        f"executed notebook with code</a></span></li>"
        for r in reports
    )
    figure_items = "\n".join(
        f'<figure><a href="figures/{esc(png.name)}"><img src="figures/{esc(png.name)}" '
        f'alt="{esc(png.stem)}" loading="lazy"></a><figcaption>{esc(png.stem)} '
        + (
            f'(<a href="figures/{esc(png.stem)}.csv">data</a>)'
            if png.with_suffix(".csv").exists()
            else ""
        )
        + "</figcaption></figure>"
        for png in sorted((staging / "figures").glob("*.png"))
    )
    group_rows = "".join(
        f'<tr><td>{esc(g)}</td><td class="n">{n}</td></tr>' for g, n in groups.items()
    )
    group_table = (
        f'<table class="corpus"><thead><tr><th>{esc(by)}</th><th>articles</th></tr></thead>'
        f"<tbody>{group_rows}</tbody></table>"
    )
    skipped_note = (
        '<p class="skipped">Skipped while loading: '
        + "; ".join(f"{esc(s['file'])} ({esc(s['problem'])})" for s in skipped)
        + "</p>"
        if skipped
        else ""
    )
    page = string.Template((templates / "index.html").read_text(encoding="utf-8")).substitute(
        title=esc(f"Coverage of {corpus.name}: how the {by} groups compare"),
        css=(templates / "report.css").read_text(encoding="utf-8"),
        corpus=esc(corpus.name),
        by=esc(by),
        built=esc(dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        groups=group_table,
        skipped=skipped_note,
        reports=report_items,
        figures=figure_items,
    )
    (staging / "index.html").write_text(page, encoding="utf-8")


def _plain(markdown_text: str) -> str:
    """Markdown emphasis and links reduced to their words, for the index page."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown_text)
    return re.sub(r"[*_`]", "", text)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m corpusutils.report --corpus PATH --out DIR [--by agency]``.

    Returns the exit status: 0 when the reports were written, 1 (with the reason on stderr)
    when they were not, 130 after Ctrl-C and 143 after SIGTERM (see :func:`interrupted`).
    Run as ``python -m corpusutils.report``, the process ends within a bounded time of either
    signal (:func:`corpusutils.processes.run_command`).

    >>> main(["--corpus", "no/such/corpus", "--out", "reports"])
    1
    """
    parser = argparse.ArgumentParser(
        prog="python -m corpusutils.report",
        description="Run every notebook on a corpus and write the HTML reports.",
    )
    parser.add_argument("--corpus", required=True, help="corpus folder or table file")
    parser.add_argument(
        "--out", required=True, help="folder for the reports (only what a build wrote is replaced)"
    )
    parser.add_argument("--by", default="agency", help="grouping column (default: agency)")
    parser.add_argument(
        "--text-column", default="text", help="text column of a table corpus (default: text)"
    )
    parser.add_argument(
        "--duplicates", choices=DUPLICATE_POLICIES, default="flag",
        help="near-duplicate articles: flag them (default) or keep one per cluster",
    )
    parser.add_argument("--story", default="auto",
                        help='story column, or "auto" (default) to find the stories')
    parser.add_argument("--notebooks", default=None, help="folder of NN-name.ipynb notebooks")
    from corpusutils.cli import add_lexicon_options

    add_lexicon_options(parser)
    args = parser.parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        index = build_reports(
            args.corpus,
            args.out,
            notebooks_dir=args.notebooks,
            by=args.by,
            text_column=args.text_column,
            duplicates=args.duplicates,
            actors=args.actors or None,
            frames=args.frames or None,
            terms=args.terms or None,
            min_articles=args.min_articles,
            min_sentences=args.min_sentences,
            story=args.story,
        )
    except ReportError as exc:
        print(f"report failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        return interrupted("report", exc)
    finally:
        log.removeHandler(handler)
    print(f"reports written: {index}")
    return 0


def interrupted(command: str, exc: KeyboardInterrupt) -> int:
    """Say on stderr that ``command`` was interrupted, and whether the reports were updated;
    return the exit status (130 after Ctrl-C, 143 after SIGTERM).

    >>> interrupted("report", KeyboardInterrupt())
    130
    """
    signum = getattr(exc, "signum", signal.SIGINT)
    name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
    done = ("the reports had been written already" if getattr(exc, "reports_updated", False)
            else "the reports were not updated")
    print(f"{command} interrupted ({name}): {done}", file=sys.stderr)
    return interrupt_status(exc)


if __name__ == "__main__":
    run_command(main)
