"""``make report`` on the seeds against its floor, timed in the same run: the ratio is the result.

Run by hand from the repository root (the environment warm: ``make venv`` done before)::

    .venv/bin/python benchmarks/bench_report.py              # one round
    .venv/bin/python benchmarks/bench_report.py --rounds 3   # alternate three times each

The floor is what any report of this shape costs, whatever the analysis: as many notebooks
as ``make report`` runs (``--floor-notebooks``, default: the ``NN-*.ipynb`` in notebooks/), that
only import the third-party stack (pandas, matplotlib, textstat, nltk, vaderSentiment) and
draw one figure, executed one after another in one process with papermill (a kernel each,
over the same local sockets as the report builder's) and exported to HTML with nbconvert.
``make report`` is the real command, run as a user runs it (``make report REPORTS=<temporary
folder>``, so the make rule and the environment check are included). Each round times the
floor and then ``make report``; the ratio ``make report / floor`` of each round and of the
fastest of each are printed, with the load average before and after (the machine may be
shared: compare ratios from one run, not seconds from different runs). A ratio at or below
1.0 means the reports cost no more than the notebooks' bare minimum.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLOOR_CELL = """\
%matplotlib inline
import matplotlib.pyplot as plt
import nltk
import pandas as pd
import textstat
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

counts = pd.DataFrame({"group": ["a", "b", "c"], "n": [3, 1, 2]})
ax = counts.plot.bar(x="group", y="n")
ax.set_title("One figure")
plt.show()
"""

#: Runs in a child process: the floor notebooks, one after another, a kernel each, to HTML.
FLOOR_RUNNER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import nbformat
    import papermill
    from jupyter_client.manager import AsyncKernelManager
    from nbconvert import HTMLExporter


    class LocalKernelManager(AsyncKernelManager):  # local sockets, as make report uses
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            super().__init__(**kwargs)


    folder = Path(sys.argv[1])
    for notebook in sorted(folder.glob("*.ipynb")):
        executed = folder / "executed" / notebook.name
        papermill.execute_notebook(
            str(notebook),
            str(executed),
            kernel_name="python3",
            progress_bar=False,
            kernel_manager_class=LocalKernelManager,
        )
        body, _ = HTMLExporter(template_name="lab").from_notebook_node(
            nbformat.read(executed, as_version=4)
        )
        (folder / "html" / f"{notebook.stem}.html").write_text(body, encoding="utf-8")
    """
)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def write_floor_notebooks(folder: Path, count: int = 6) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    (folder / "executed").mkdir(parents=True)
    (folder / "html").mkdir()
    for i in range(count):
        nb = new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nb.metadata["language_info"] = {"name": "python"}
        nb.cells = [new_markdown_cell(f"# Floor {i}"), new_code_cell(FLOOR_CELL)]
        nbformat.write(nb, folder / f"{i:02d}-floor.ipynb")


def report_notebooks() -> int:
    """How many notebooks ``make report`` runs."""
    return sum(1 for p in (ROOT / "notebooks").glob("*.ipynb") if p.name[:2].isdigit())


def time_floor(count: int) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        folder = Path(tmp)
        write_floor_notebooks(folder, count)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", FLOOR_RUNNER, str(folder)], check=True, cwd=tmp)
        seconds = time.perf_counter() - started
        assert len(list((folder / "html").glob("*.html"))) == count
    return seconds


def time_make_report(corpus: str) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        out = Path(tmp) / "reports"
        started = time.perf_counter()
        subprocess.run(
            ["make", "--no-print-directory", "report", f"CORPUS={corpus}", f"REPORTS={out}"],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - started
        assert (out / "index.html").is_file()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="floor + make report, alternated")
    parser.add_argument("--corpus", default="seeds", help="CORPUS for make report")
    parser.add_argument("--floor-notebooks", type=int, default=report_notebooks(),
                        help="notebooks in the floor (default: as many as make report runs)")
    args = parser.parse_args(argv)
    workers = os.environ.get("CORPUSUTILS_WORKERS", "all cores")
    print(f"cores: {os.cpu_count()}, CORPUSUTILS_WORKERS: {workers}, load before: {_load()}")
    print(f"floor: {args.floor_notebooks} notebooks; make report runs {report_notebooks()}")
    print(f"{'round':>5s} {'floor s':>8s} {'make report s':>14s} {'ratio':>6s}  load after")
    floors, reports = [], []
    for i in range(1, args.rounds + 1):
        floors.append(time_floor(args.floor_notebooks))
        reports.append(time_make_report(args.corpus))
        ratio = reports[-1] / floors[-1]
        print(f"{i:5d} {floors[-1]:8.1f} {reports[-1]:14.1f} {ratio:6.2f}  {_load()}")
    if args.rounds > 1:
        print(f"fastest {min(floors):8.1f} {min(reports):14.1f} {min(reports) / min(floors):6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
