"""The ``corpusutils`` command.

``corpusutils clean CORPUS --out FILE`` loads and cleans a corpus (a folder or a table, see
:func:`corpusutils.load.load_corpus`) and writes the docs frame as CSV, JSONL or Parquet (by the
extension of FILE; list columns become JSON strings in CSV and JSONL), then prints a summary.

``--text-column NAME`` names the text column of a table corpus (both subcommands).

``corpusutils report CORPUS [--out reports] [--by agency] [--actors CSV] [--frames CSV ...]
[--terms CSV] [--min-articles N] [--min-sentences N]`` runs every notebook on the corpus
and writes the HTML reports (see :mod:`corpusutils.report`; the same as ``make report``).

Each subcommand is one ``_add_<name>(subparsers)`` function listed in :data:`COMMANDS` that
declares its arguments and sets ``func``, the function that runs it and returns the exit code.

Errors are one line each on stderr, never a traceback. Exit status: 0 done, 1 failed (a
notebook cell, the disk), 2 bad input (a corpus that cannot be loaded, a wrong argument),
130 interrupted by Ctrl-C, 143 by SIGTERM (the command then ends as killed by that signal,
within a bounded time). Paths are taken as given: ``corpusutils report -- -odd$name`` reads a
corpus named ``-odd$name``.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence

import pandas as pd

__all__ = ["add_lexicon_options", "build_parser", "clean_summary", "main"]


def clean_summary(docs: pd.DataFrame) -> dict[str, int]:
    """Counts for the summary of a cleaned docs frame.

    >>> docs = pd.DataFrame({"fixes": [[{}], []], "removed": [[{}, {}], [{}]],
    ...                      "notes": [[], ["doubled full stop"]]})
    >>> clean_summary(docs)
    {'documents': 2, 'repairs': 1, 'removed spans': 3, 'notes': 1}
    """

    def total(column: str) -> int:
        if column not in docs.columns:
            return 0
        return int(sum(len(v) for v in docs[column] if isinstance(v, list)))

    return {
        "documents": len(docs),
        "repairs": total("fixes"),
        "removed spans": total("removed"),
        "notes": total("notes"),
    }


def _run_clean(args: argparse.Namespace) -> int:
    from corpusutils.load import CorpusError, load_corpus, save_corpus

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            docs = load_corpus(
                args.corpus, errors=args.errors, progress=args.progress,
                text_column=args.text_column,
            )
        except CorpusError as exc:
            print(f"corpusutils clean: {exc}", file=sys.stderr)
            return 2
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    try:
        out = save_corpus(docs, args.out)
    except ValueError as exc:
        print(f"corpusutils clean: {exc}", file=sys.stderr)
        return 2
    summary = clean_summary(docs)
    skipped = len(docs.attrs.get("skipped", []))
    print(f"cleaned corpus written: {out}")
    for name, count in summary.items():
        print(f"  {name}: {count}")
    print(f"  warnings: {len(caught)}")
    print(f"  files skipped: {skipped}")
    return 0


def _add_clean(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "clean",
        help="load and clean a corpus, write it as CSV, JSONL or Parquet",
        description="Load and clean a corpus (folder or table) and write the docs frame.",
    )
    parser.add_argument("corpus", help="corpus folder (with manifest.csv or *.txt) or table file")
    parser.add_argument(
        "--out", required=True, help="output file: .csv, .jsonl or .parquet"
    )
    parser.add_argument(
        "--errors",
        choices=("raise", "warn", "skip"),
        default="raise",
        help="what to do with a file that cannot be loaded (default: raise)",
    )
    _add_text_column(parser)
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: for large corpora)",
    )
    parser.set_defaults(func=_run_clean)


def add_lexicon_options(parser: argparse.ArgumentParser) -> None:
    """The options shared by ``python -m corpusutils.report`` and ``corpusutils report``.

    >>> parser = argparse.ArgumentParser()
    >>> add_lexicon_options(parser)
    >>> parser.parse_args(["--frames", "generic", "--frames", "mine.csv"]).frames
    ['generic', 'mine.csv']
    """
    parser.add_argument(
        "--actors", default=None, metavar="CSV",
        help="actor list (actor, term, kind, comment); default: the corpus's most frequent names",
    )
    parser.add_argument(
        "--frames", action="append", default=None, metavar="CSV",
        help="frame lexicon (frame, term, ...), repeat for several; 'generic' names the five "
        "generic news frames (the default)",
    )
    parser.add_argument(
        "--terms", default=None, metavar="CSV",
        help="word-choice term sets (concept, term); default: no word-choice comparison",
    )
    parser.add_argument(
        "--min-articles", type=int, default=1, metavar="N",
        help="no finding about a group with fewer articles (default: 1)",
    )
    parser.add_argument(
        "--min-sentences", type=int, default=10, metavar="N",
        help="no finding about a group with fewer sentences (default: 10)",
    )


def _run_report(args: argparse.Namespace) -> int:
    import logging
    from pathlib import Path

    from corpusutils import report
    from corpusutils.load import CorpusError

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    report.log.addHandler(handler)
    report.log.setLevel(logging.INFO)
    try:
        index = report.build_reports(
            args.corpus, args.out, by=args.by, text_column=args.text_column,
            duplicates=args.duplicates, actors=args.actors, frames=args.frames,
            terms=args.terms, min_articles=args.min_articles, min_sentences=args.min_sentences,
            story=args.story,
        )
    except report.ReportError as exc:
        print(f"corpusutils report: {exc}", file=sys.stderr)
        # build_reports names a corpus it cannot load in a ReportError raised from a CorpusError.
        bad_input = isinstance(exc.__context__, CorpusError) or not Path(args.corpus).exists()
        return 2 if bad_input else 1
    except KeyboardInterrupt as exc:
        return report.interrupted("corpusutils report", exc)
    finally:
        report.log.removeHandler(handler)
    print(f"reports written: {index}")
    return 0


def _add_text_column(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--text-column",
        default="text",
        help="the column holding the article text when the corpus is a table (default: text)",
    )


def _add_report(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="run every notebook on a corpus and write the HTML reports",
        description="Run every notebook on a corpus and write the HTML reports.",
    )
    parser.add_argument("corpus", help="corpus folder (with manifest.csv or *.txt) or table file")
    parser.add_argument(
        "--out", default="reports", help="folder for the reports (a build replaces its own files)"
    )
    parser.add_argument("--by", default="agency", help="grouping column (default: agency)")
    _add_text_column(parser)
    parser.add_argument(
        "--duplicates", choices=("flag", "keep-one"), default="flag",
        help="near-duplicate articles: flag them (default) or analyse one per cluster",
    )
    add_lexicon_options(parser)
    parser.add_argument("--story", default="auto",
                        help='story column, or "auto" (default) to find the stories')
    parser.set_defaults(func=_run_report)


#: One function per subcommand; adding a subcommand is one more ``_add_<name>`` here.
COMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (_add_clean, _add_report)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand of :data:`COMMANDS`.

    >>> build_parser().parse_args(["clean", "seeds", "--out", "c.csv"]).out
    'c.csv'
    """
    parser = argparse.ArgumentParser(
        prog="corpusutils",
        description="Load, clean and compare news agency coverage of the same event.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    >>> main(["clean", "no/such/folder", "--out", "x.csv"])
    2
    """
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt as exc:
        from corpusutils.processes import interrupt_status

        print(f"corpusutils {args.command}: interrupted", file=sys.stderr)
        return interrupt_status(exc)
    except OSError as exc:  # a read-only or full disk, a folder that cannot be listed ...
        from corpusutils.load import display_name

        where = f"{display_name(exc.filename)}: " if exc.filename else ""
        print(f"corpusutils {args.command}: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # one line, never a traceback
        print(f"corpusutils {args.command}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def run() -> None:
    """The ``corpusutils`` command itself: :func:`main` as this process, which then ends
    within a bounded time of Ctrl-C or SIGTERM (see :func:`corpusutils.processes.run_command`).
    """
    from corpusutils.processes import run_command

    run_command(main)


if __name__ == "__main__":
    run()
