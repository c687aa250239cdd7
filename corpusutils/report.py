"""Build the HTML reports: run every notebook on a corpus and publish the results.

``python -m corpusutils.report --corpus PATH --out DIR [--by agency]`` (or ``make report``)
executes each notebook in ``notebooks/`` with papermill, passing the parameters ``corpus``,
``output_dir`` and ``by``, and writes into ``DIR``:

``NN-name.html``
    Each executed notebook as a page: its text, tables and figures, without the code.
``notebooks/NN-name.ipynb``
    The executed notebooks themselves, code included, to see how each number was made.
``figures/*.png`` and ``figures/*.csv``
    Every figure, each next to the CSV of the numbers it shows.
``cleaned-corpus.parquet``
    The corpus as loaded and cleaned once for all the notebooks (``load_corpus`` reads it
    back as it was, raw text, repairs and removed spans included).
``index.html``
    Links to every report (titled by each notebook's first heading) and every figure.

The reports are built in a temporary folder next to ``DIR`` and moved into place only when
every notebook has run without error, so a failed run never leaves a report that looks
complete. A failing cell raises :class:`ReportError` naming the notebook and the cell.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import html
import logging
import multiprocessing
import os
import queue
import re
import shutil
import string
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from numbers import Number
from pathlib import Path

import pandas as pd

from corpusutils.derived import Tables, save_tables
from corpusutils.load import CorpusError, load_corpus, save_corpus
from corpusutils.parallel import default_workers

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
    story: str = "auto",
    kernel_name: str = "python3",
) -> Path:
    """Run every ``NN-name.ipynb`` notebook on ``corpus`` and write the reports to ``out``.

    ``story`` is passed to the notebooks: a column of the corpus naming each article's story,
    or "auto" to find the stories (see :func:`corpusutils.find_stories`).

    ``text_column`` names the text column of a table corpus (see
    :func:`corpusutils.load_corpus`). Near-duplicate articles are flagged in the cleaned
    corpus (:func:`corpusutils.flag_duplicates`); ``duplicates="keep-one"`` analyses one
    article per cluster and lists the others on the index page. Relative paths resolve against
    the current directory. Returns the path of ``out/index.html``. Raises
    :class:`ReportError` (naming the notebook and cell) when a notebook fails; ``out`` is then
    left as it was before the call.

    >>> build_reports("no/such/corpus", "reports")
    Traceback (most recent call last):
    ...
    corpusutils.report.ReportError: no/such/corpus: no such folder or file
    """
    corpus_path = Path(corpus).resolve()
    out_path = Path(out).resolve()
    if not corpus_path.exists():
        raise ReportError(f"{corpus}: no such folder or file")
    notebooks = _notebooks(Path(notebooks_dir) if notebooks_dir else default_notebooks_dir())
    _check_replaceable(out_path)
    docs = _load_once(corpus_path, by, text_column, duplicates)
    sizes = docs.groupby(by, sort=True).size()
    groups = {str(k): int(v) for k, v in sizes.items()}
    skipped = list(docs.attrs.get("skipped", []))

    out_path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_path.name}-building-", dir=out_path.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a report folder is not
    try:
        (staging / "figures").mkdir()
        (staging / "notebooks").mkdir()
        # Every notebook reads the corpus cleaned once here, not cleaned again six times.
        cleaned = save_corpus(docs, staging / CLEANED_CORPUS)
        # The tables several notebooks start from, computed once for all of them.
        save_tables(Tables(docs, by=by), cleaned)
        jobs = [
            _Job(nb, cleaned, staging, corpus_path, by, kernel_name, story) for nb in notebooks
        ]
        reports = _run_notebooks(jobs)
        _write_index(staging, reports, corpus_path, by, groups, skipped)
        _move_into_place(staging, out_path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_path / "index.html"


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _notebooks(folder: Path) -> list[Path]:
    found = sorted(p for p in folder.glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))
    if not found:
        raise ReportError(f"{folder}: no notebooks named NN-name.ipynb to run")
    return found


def _check_replaceable(out: Path) -> None:
    """Refuse to replace a folder that is neither empty nor an earlier build of the reports."""
    if out.exists() and (
        not out.is_dir()
        or (_visible(out) and not (out / "index.html").is_file())
    ):
        raise ReportError(
            f"{out}: exists and does not look like a reports folder (no index.html); "
            "choose another --out or remove it"
        )


def _visible(folder: Path) -> bool:
    return any(not p.name.startswith(".") for p in folder.iterdir())


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
    return docs


@dataclass(frozen=True)
class _Job:
    """One notebook to run on the build's cleaned corpus and publish into ``staging``."""

    notebook: Path
    corpus: Path
    staging: Path
    source: Path
    by: str
    kernel_name: str
    story: str = "auto"


def _run_job(job: _Job, kernel_workers: int | None = None) -> tuple[_Report, float]:
    """Execute one notebook and write its page; runs in a worker process of the build."""
    if kernel_workers is not None:
        # The notebooks run side by side: their kernels share the cores between them.
        os.environ["CORPUSUTILS_WORKERS"] = str(kernel_workers)
    started = time.perf_counter()
    executed = job.staging / "notebooks" / job.notebook.name
    _execute(
        job.notebook, executed, job.corpus, job.staging, job.by, job.kernel_name, job.story
    )
    report = _write_html(job.notebook, executed, job.staging, job.source)
    return report, time.perf_counter() - started


def _run_notebooks(jobs: Sequence[_Job]) -> list[_Report]:
    """Run every job, as many at once as there are workers (``CORPUSUTILS_WORKERS``, else the
    cores), and return the reports in the jobs' order.

    After a failure no further notebook starts; those running finish, and the
    :class:`ReportError` of the first failed notebook in reading order is raised, so the
    message does not depend on which kernel was quicker.
    """
    workers = min(default_workers(), len(jobs))
    if workers <= 1:
        return [_logged(job, *_run_job(_started(job))) for job in jobs]
    kernel_workers = max(1, default_workers() // workers)
    finished: queue.SimpleQueue = queue.SimpleQueue()
    # A fresh interpreter per worker: forking a builder that holds threads (pyarrow's) is unsafe.
    pool = multiprocessing.get_context("spawn").Pool(workers)
    try:
        waiting, running = list(jobs), 0
        reports: dict[Path, _Report] = {}
        failures: dict[Path, BaseException] = {}
        while waiting or running:
            while waiting and running < workers and not failures:
                job = _started(waiting.pop(0))
                pool.apply_async(
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
        if failures:
            raise failures[min(failures, key=lambda nb: [j.notebook for j in jobs].index(nb))]
        pool.close()
    finally:
        pool.terminate()  # kernels exit with their worker
        pool.join()
    return [reports[job.notebook] for job in jobs]


def _started(job: _Job) -> _Job:
    log.info("running %s", job.notebook.name)
    return job


def _logged(job: _Job, report: _Report, seconds: float) -> _Report:
    log.info("ran %s in %.1f s", job.notebook.name, seconds)
    return report


def _execute(
    notebook: Path,
    executed: Path,
    corpus: Path,
    output_dir: Path,
    by: str,
    kernel_name: str,
    story: str = "auto",
) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    workdir = Path(tempfile.mkdtemp(prefix="run-", dir=output_dir))
    try:
        papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters={
                "corpus": str(corpus), "output_dir": str(output_dir), "by": by, "story": story,
            },
            kernel_name=kernel_name,
            progress_bar=False,
            cwd=str(workdir),
            kernel_manager_class=local_kernel_manager(),
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


def _write_html(notebook: Path, executed: Path, staging: Path, corpus: Path) -> _Report:
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
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
        "report_source": f"{notebook.name} on {corpus}",
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
        corpus=esc(str(corpus)),
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


def _move_into_place(staging: Path, out: Path) -> None:
    """Swap the finished build in; the previous build is removed only once the new one is in."""
    previous = None
    if out.exists():
        previous = out.with_name(f".{out.name}-previous-{staging.name[-8:]}")
        out.rename(previous)
    staging.rename(out)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m corpusutils.report --corpus PATH --out DIR [--by agency]``.

    Returns the exit status: 0 when the reports were written, 1 (with the reason on stderr)
    when they were not.

    >>> main(["--corpus", "no/such/corpus", "--out", "reports"])
    1
    """
    parser = argparse.ArgumentParser(
        prog="python -m corpusutils.report",
        description="Run every notebook on a corpus and write the HTML reports.",
    )
    parser.add_argument("--corpus", required=True, help="corpus folder or table file")
    parser.add_argument("--out", required=True, help="folder for the reports (replaced)")
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
    args = parser.parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        index = build_reports(
            args.corpus, args.out, notebooks_dir=args.notebooks, by=args.by,
            text_column=args.text_column, duplicates=args.duplicates,
            story=args.story,
        )
    except ReportError as exc:
        print(f"report failed: {exc}", file=sys.stderr)
        return 1
    finally:
        log.removeHandler(handler)
    print(f"reports written: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
