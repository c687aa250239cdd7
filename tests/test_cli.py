"""The corpusutils command: clean a corpus into CSV, JSONL or Parquet and say what was done."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from corpusutils.cli import build_parser, main

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def test_clean_to_csv_with_summary(tmp_path, capsys):
    out = tmp_path / "clean.csv"
    assert main(["clean", str(SEEDS), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"cleaned corpus written: {out}" in printed
    assert "documents: 5" in printed
    assert "repairs: 2" in printed  # the two "รก" in 000
    assert "warnings: 0" in printed
    docs = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert docs["doc_id"].tolist() == ["000", "001", "002", "003", "004"]
    ap = docs.set_index("doc_id").loc["002"]
    assert ap["byline"] == "The Associated Press"
    removed = json.loads(ap["removed"])
    assert {"rule", "column", "text", "start", "end"} <= set(removed[0])
    assert json.loads(docs.set_index("doc_id").loc["000", "fixes"])[0]["after"] == "á"
    removed_count = sum(len(json.loads(v)) for v in docs["removed"])
    assert f"removed spans: {removed_count}" in printed


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_clean_to_jsonl_and_parquet(tmp_path, suffix, capsys):
    out = tmp_path / f"clean{suffix}"
    assert main(["clean", str(SEEDS), "--out", str(out)]) == 0
    capsys.readouterr()
    docs = pd.read_parquet(out) if suffix == ".parquet" else pd.read_json(out, lines=True,
                                                                          dtype=False)
    assert len(docs) == 5
    reuters = docs[docs["agency"] == "Reuters"].iloc[0]
    assert reuters["credits"] == "Reporting by Simon Lewis; Editing by Michael Perry"
    assert reuters["text"].startswith("Blinken's visit to the capitals")


def test_clean_reports_bad_input(tmp_path, capsys):
    assert main(["clean", str(tmp_path / "missing"), "--out", str(tmp_path / "x.csv")]) == 2
    assert "no such folder or file" in capsys.readouterr().err
    assert main(["clean", str(SEEDS), "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "unknown output format" in capsys.readouterr().err


def test_clean_needs_out():
    with pytest.raises(SystemExit):
        build_parser().parse_args(["clean", str(SEEDS)])


def test_help_lists_the_subcommands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "clean" in capsys.readouterr().out


def test_report_subcommand_runs_the_report_builder(tmp_path, capsys):
    args = build_parser().parse_args(["report", "seeds"])
    assert (args.corpus, args.out, args.by) == ("seeds", "reports", "agency")
    out = tmp_path / "reports"
    assert main(["report", str(tmp_path / "nowhere"), "--out", str(out)]) == 2
    assert "nowhere: no such folder or file" in capsys.readouterr().err
    assert not out.exists()


# --- hostile input on the command line --------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
ODD_NAME = "my$corpus \"2023\" `touch pwned` it's $(touch pwned2) $HOME"


@pytest.mark.hostile
def test_make_report_passes_paths_untouched(tmp_path):
    """make hands CORPUS, REPORTS and BY to the command exactly as typed: no "$" expanded, no
    quote or backtick read by the shell."""
    import os
    import shutil
    import subprocess
    import sys

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    show_argv = venv / "bin" / "python"
    show_argv.write_text(f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    show_argv.chmod(0o755)
    (venv / ".installed-run").touch()  # newer than pyproject.toml: nothing to install
    done = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "report", f"VENV={venv}", f"CORPUS={ODD_NAME}",
         f"REPORTS={ODD_NAME} out", "BY=it's"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    assert done.returncode == 0, done.stderr
    argv = json.loads(done.stdout.splitlines()[-1])
    assert argv == ["-m", "corpusutils.cli", "report", f"--out={ODD_NAME} out", "--by=it's",
                    "--text-column=text", "--duplicates=flag", "--frames=generic",
                    "--min-articles=1", "--min-sentences=10", "--story=auto", "--", ODD_NAME]
    assert not list(ROOT.glob("pwned*")) and not list(tmp_path.glob("pwned*"))


@pytest.mark.hostile
@pytest.mark.parametrize("command", ["clean", "report"])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, command):
    import os

    corpus = tmp_path / ODD_NAME
    corpus.mkdir()
    os.mkfifo(corpus / "manifest.csv")  # would block a reader forever
    out = str(tmp_path / ("c.csv" if command == "clean" else "reports"))
    assert main([command, "--out", out, "--", str(corpus)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "manifest.csv" in err and "named pipe" in err and "Traceback" not in err


@pytest.mark.hostile
def test_unexpected_errors_are_one_line(tmp_path, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(30, "Read-only file system", str(tmp_path / "out.csv"))

    monkeypatch.setattr("corpusutils.load.save_corpus", broken)
    assert main(["clean", str(SEEDS), "--out", str(tmp_path / "out.csv")]) == 1
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert last == f"corpusutils clean: {tmp_path}/out.csv: Read-only file system"
    assert "Traceback" not in err


def test_report_subcommand_passes_the_lexicons_and_group_minimums_on(monkeypatch):
    from corpusutils import report

    seen = {}
    monkeypatch.setattr(report, "build_reports", lambda *a, **k: seen.update(k) or Path("i"))
    status = main(["report", "corpus", "--actors", "a.csv", "--frames", "generic", "--frames",
                   "f.csv", "--terms", "t.csv", "--min-articles", "3", "--min-sentences", "40"])
    assert status == 0
    assert seen["actors"] == "a.csv" and seen["frames"] == ["generic", "f.csv"]
    assert seen["terms"] == "t.csv"
    assert (seen["min_articles"], seen["min_sentences"]) == (3, 40)
