"""Which words each group uses: distinctive terms, keyness, keyword in context and text reuse.

Every function takes the cleaned docs frame (``doc_id``, the grouping column, ``text``) and
returns a tidy frame. The grouping column is named after ``by`` in the output (``agency`` by
default; ``by="doc_id"`` compares single documents).

Counting rules shared by :func:`distinctive_terms` and :func:`keyness`: words are the tokens of
:func:`corpusutils.text.tokens`, counted under :func:`corpusutils.text.fold_token`: apostrophes
and quotes straight ("Russia’s" and "Russia's" are one word), lower-cased except all-capital
acronyms of two or more letters ("US", "UN", "CSTO"), which stay as written so that "US" is not
counted as the pronoun "us". Spelling variants of names are counted apart unless
``canonicalize_names=True`` first rewrites them to one spelling (see :mod:`corpusutils.names`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import chain

import numpy as np
import pandas as pd

from corpusutils.names import canonicalize_names as _canonicalize_names
from corpusutils.pairs import candidate_pairs
from corpusutils.text import fold_quotes, fold_token, token_spans, tokens

__all__ = ["distinctive_terms", "keyness", "kwic", "reuse", "shared_passages", "term_counts"]


def _check(docs: pd.DataFrame, *columns: str) -> None:
    """Fail early, naming the missing column, before any work is done."""
    if "text" not in docs.columns:
        raise ValueError(
            "docs has no 'text' column: clean the corpus first "
            "(corpusutils.clean.clean_corpus(docs) or load_corpus(..., clean=True))"
        )
    for column in ("doc_id", *columns):
        if column not in docs.columns:
            raise ValueError(f"docs has no column {column!r}")


def _texts(docs: pd.DataFrame) -> list[str]:
    return [t if isinstance(t, str) else "" for t in docs["text"]]


_fold = fold_token


class _FoldedSpellings(dict):
    """Each token's counted form (:func:`corpusutils.text.fold_token`), folded on first use."""

    def __missing__(self, token: str) -> str:
        term = self[token] = _fold(token)
        return term


def _group_term_counts(docs: pd.DataFrame, by: str, canonicalize: bool) -> pd.DataFrame:
    """Long frame: <by>, term, count (only the pairs that occur)."""
    if canonicalize:
        docs = _canonicalize_names(docs)
    texts = _texts(docs)
    # Each distinct spelling is folded once, however many groups and documents use it.
    fold = _FoldedSpellings().__getitem__
    counters: dict[object, Counter[str]] = {}
    for group, text in zip(docs[by], texts, strict=True):
        counter = counters.get(group)
        if counter is None:
            counter = counters[group] = Counter()
        counter.update(map(fold, tokens(text)))
    sizes = [len(c) for c in counters.values()]
    return pd.DataFrame(
        {
            by: np.repeat(np.array(list(counters), dtype=object), sizes),
            "term": list(chain.from_iterable(counters.values())),
            "count": np.fromiter(
                chain.from_iterable(c.values() for c in counters.values()),
                dtype=np.int64,
                count=sum(sizes),
            ),
        }
    )


def term_counts(
    docs: pd.DataFrame, *, by: str = "agency", canonicalize_names: bool = False
) -> pd.DataFrame:
    """How often each group uses each word, counted as :func:`distinctive_terms` and
    :func:`keyness` count (see the module docstring): pass the result to both as ``counts`` so
    that the words are counted once for the two.

    Columns: <by>, term, count; one row per group and word it uses, groups in order of first
    appearance, words in order of first use within the group.

    >>> docs = pd.DataFrame({"doc_id": ["1", "2"], "agency": ["AP", "EFE"],
    ...     "text": ["War, war and US talks", "Talks with us"]})
    >>> term_counts(docs).values.tolist()
    [['AP', 'war', 2], ['AP', 'and', 1], ['AP', 'US', 1], ['AP', 'talks', 1], \
['EFE', 'talks', 1], ['EFE', 'with', 1], ['EFE', 'us', 1]]
    """
    _check(docs, by)
    return _group_term_counts(docs, by, canonicalize_names)


def _counted(
    docs: pd.DataFrame, by: str, canonicalize: bool, counts: pd.DataFrame | None
) -> pd.DataFrame:
    """``counts`` when given (checked to be counts by ``by``), else the words counted now."""
    if counts is None:
        return _group_term_counts(docs, by, canonicalize)
    missing = [c for c in (by, "term", "count") if c not in counts.columns]
    if missing:
        raise ValueError(f"counts has no column {missing[0]!r}: pass term_counts(docs, by={by!r})")
    return counts


def distinctive_terms(
    docs: pd.DataFrame,
    *,
    by: str = "agency",
    min_count: int = 2,
    alpha_0: float | None = None,
    canonicalize_names: bool = False,
    include_absent: bool = False,
    counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Words that set each group apart from the rest: weighted log-odds with a Dirichlet prior.

    The "Fightin' Words" statistic of Monroe, Colaresi and Quinn (2008, Political Analysis
    16(4): 372-403), each group ``i`` against all other groups together ``j``::

        delta_w = log((y_w^i + a_w) / (n^i + a_0 - y_w^i - a_w))
                - log((y_w^j + a_w) / (n^j + a_0 - y_w^j - a_w))
        variance_w ~= 1 / (y_w^i + a_w) + 1 / (y_w^j + a_w)
        z_w = delta_w / sqrt(variance_w)

    where ``y_w`` are word counts and ``n`` token totals. The prior is informative: ``a_w`` is
    proportional to the word's count in the whole corpus, scaled so that the ``a_w`` sum to
    ``alpha_0`` (``a_w = alpha_0 * y_w / N``). The default ``alpha_0=None`` takes ``alpha_0 =
    N``, the corpus size, so ``a_w`` is the word's corpus count. The prior shrinks the log-odds of
    rare words towards zero; ``z`` is the number to rank by (|z| > 1.96 is the usual cut-off).

    Columns: <by>, term, count, count_rest, n (tokens in the group), n_rest, log_odds,
    variance, z. Sorted by group, then ``z`` from most to least distinctive. Terms whose corpus
    count is below ``min_count`` are left out. By default a group's rows are the words it uses;
    ``include_absent=True`` adds the words it never uses (count 0, negative z), which is
    affordable for a few groups but not for ``by="doc_id"`` on a large corpus. ``counts``: the
    :func:`term_counts` of these docs by the same ``by`` (and ``canonicalize_names``), when
    already counted.

    >>> docs = pd.DataFrame({"doc_id": ["1", "2"], "agency": ["AP", "EFE"],
    ...     "text": ["war war war talks", "talks talks talks war"]})
    >>> out = distinctive_terms(docs, min_count=1)
    >>> out[["agency", "term", "count", "count_rest"]].values.tolist()
    [['AP', 'war', 3, 1], ['AP', 'talks', 1, 3], ['EFE', 'talks', 3, 1], ['EFE', 'war', 1, 3]]
    >>> bool(out.loc[0, "z"] > 0 > out.loc[1, "z"])
    True
    """
    _check(docs, by)
    counts = _counted(docs, by, canonicalize_names, counts)
    totals = counts.groupby("term", sort=False)["count"].sum()
    keep = totals[totals >= min_count]
    n_total = float(counts["count"].sum())
    n_group = counts.groupby(by, sort=False)["count"].sum()
    if include_absent:
        groups = pd.Index(docs[by].drop_duplicates(), name=by)
        grid = pd.MultiIndex.from_product([groups, keep.index], names=[by, "term"])
        counts = counts.set_index([by, "term"])["count"].reindex(grid, fill_value=0).reset_index()
    else:
        counts = counts[counts["term"].isin(keep.index)]
    if alpha_0 is None:
        alpha_0 = n_total
    out = counts.copy()
    y_w = totals.to_numpy(dtype=float)[totals.index.get_indexer(out["term"])]
    y_i = out["count"].to_numpy(dtype=float)
    y_j = y_w - y_i
    group_at = n_group.index.get_indexer(out[by])
    n_i = np.where(group_at >= 0, n_group.to_numpy(dtype=float)[group_at], 0.0)
    n_j = n_total - n_i
    a_w = alpha_0 * y_w / n_total if n_total else np.zeros_like(y_w)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_odds = np.log((y_i + a_w) / (n_i + alpha_0 - y_i - a_w)) - np.log(
            (y_j + a_w) / (n_j + alpha_0 - y_j - a_w)
        )
        variance = 1.0 / (y_i + a_w) + 1.0 / (y_j + a_w)
    out["count"] = out["count"].astype("int64")
    out["count_rest"] = y_j.astype("int64")
    out["n"] = n_i.astype("int64")
    out["n_rest"] = n_j.astype("int64")
    out["log_odds"] = log_odds
    out["variance"] = variance
    out["z"] = log_odds / np.sqrt(variance)
    out = out.sort_values([by, "z", "term"], ascending=[True, False, True], kind="stable")
    columns = [by, "term", "count", "count_rest", "n", "n_rest", "log_odds", "variance", "z"]
    return out[columns].reset_index(drop=True)


_ERFC = np.frompyfunc(math.erfc, 1, 1)


def _chi2_p(statistic: float | np.ndarray) -> float | np.ndarray:
    """Upper tail of the chi-squared distribution with one degree of freedom."""
    half = np.maximum(np.asarray(statistic, dtype=float), 0.0) / 2.0
    p = np.asarray(_ERFC(np.sqrt(half)), dtype=float)
    return p if p.ndim else float(p)


_KEYNESS_COLUMNS = (
    "term", "count", "count_rest", "n", "n_rest", "expected", "expected_rest",
    "g2", "p_g2", "chi2", "p_chi2", "log_ratio", "use",
)


def keyness(
    docs: pd.DataFrame,
    target: object = None,
    *,
    by: str = "agency",
    min_count: int = 2,
    yates: bool = False,
    canonicalize_names: bool = False,
    counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Keywords of one group (``target``) against all the others: G2, chi-squared, Log Ratio.

    For each word, with ``a`` its frequency in the target and ``b`` in the reference (all other
    groups), ``c`` and ``d`` the two corpus sizes in tokens (Rayson and Garside 2000, "Comparing
    corpora using frequency profiling"):

    * ``expected = c*(a+b)/(c+d)`` and ``expected_rest = d*(a+b)/(c+d)``;
    * ``g2 = 2*(a*ln(a/expected) + b*ln(b/expected_rest))``, the log-likelihood of Rayson and
      Garside (after Dunning 1993), over the two word cells only, with ``0*ln(0) = 0``;
    * ``chi2``: Pearson's chi-squared over the full 2x2 table (word / other words by target /
      reference), without Yates's continuity correction unless ``yates=True``;
    * ``p_g2``, ``p_chi2``: upper-tail p-values with one degree of freedom;
    * ``log_ratio``: Hardie's (2014) Log Ratio, ``log2((a/c) / (b/d))``, with a zero frequency
      replaced by 0.5 so that words found in only one side get a finite value;
    * ``use``: ``"over"`` when the target uses the word relatively more, else ``"under"``.

    ``target=None`` takes every group in turn against the rest (groups in sorted order): the
    words are counted (and names canonicalised) once for all of them, so this is much faster
    than one call per group, with the same rows. ``counts``: the :func:`term_counts` of these
    docs by the same ``by`` (and ``canonicalize_names``), when already counted.

    Columns: <by> (the target), term, count (a), count_rest (b), n (c), n_rest (d), expected,
    expected_rest, g2, p_g2, chi2, p_chi2, log_ratio, use. Sorted by g2, largest first (within
    each target); words with ``a + b < min_count`` are left out.

    >>> docs = pd.DataFrame({"doc_id": ["1", "2"], "agency": ["AP", "EFE"],
    ...     "text": ["war war war talks", "talks talks talks war"]})
    >>> out = keyness(docs, "AP")
    >>> out[["term", "count", "count_rest", "use"]].values.tolist()
    [['talks', 1, 3, 'under'], ['war', 3, 1, 'over']]
    >>> round(float(out.loc[1, "log_ratio"]), 3)  # log2(3/1)
    1.585
    >>> keyness(docs)[["agency", "term", "use"]].values.tolist()
    [['AP', 'talks', 'under'], ['AP', 'war', 'over'], ['EFE', 'talks', 'over'], \
['EFE', 'war', 'under']]
    """
    _check(docs, by)
    if target is not None and not (docs[by] == target).any():
        raise ValueError(f"no document has {by} == {target!r}")
    counts = _counted(docs, by, canonicalize_names, counts)
    totals = counts.groupby("term")["count"].sum()
    totals = totals[totals >= min_count]
    by_group = counts[counts["term"].isin(totals.index)].groupby(by, sort=True)
    n_tokens = counts.groupby(by)["count"].sum()
    targets = [target] if target is not None else sorted(by_group.groups, key=str)
    tables = [
        _keyness_table(
            group,
            by_group.get_group(group).set_index("term")["count"] if group in by_group.groups
            else pd.Series(dtype="int64"),
            totals,
            float(n_tokens.get(group, 0)),
            float(n_tokens.sum()),
            by=by,
            yates=yates,
        )
        for group in targets
    ]
    if not tables:  # no word reaches min_count (a tiny corpus, or one in unspaced scripts)
        return pd.DataFrame(columns=[by, *_KEYNESS_COLUMNS])
    return pd.concat(tables, ignore_index=True)


def _keyness_table(
    target: object,
    own: pd.Series,
    totals: pd.Series,
    c: float,
    total: float,
    *,
    by: str,
    yates: bool,
) -> pd.DataFrame:
    """The keyness rows of one target: ``own`` its word counts, ``totals`` the corpus's."""
    a = own.reindex(totals.index, fill_value=0).to_numpy(dtype=float)
    b = totals.to_numpy(dtype=float) - a
    d = total - c
    e1 = c * (a + b) / total
    e2 = d * (a + b) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2.0 * (
            np.where(a > 0, a * np.log(a / e1), 0.0) + np.where(b > 0, b * np.log(b / e2), 0.0)
        )
        # Pearson over the four cells, in the closed form for a 2x2 table.
        other_a, other_b = c - a, d - b
        diff = np.abs(a * other_b - b * other_a)
        if yates:
            diff = np.maximum(diff - total / 2.0, 0.0)
        denominator = c * d * (a + b) * (other_a + other_b)
        chi2 = np.where(denominator > 0, total * diff**2 / denominator, 0.0)
        freq_a = np.where(a > 0, a, 0.5) / c
        freq_b = np.where(b > 0, b, 0.5) / d
        log_ratio = np.log2(freq_a / freq_b)
    out = pd.DataFrame(
        {
            by: [target] * len(a),
            "term": totals.index,
            "count": a.astype("int64"),
            "count_rest": b.astype("int64"),
            "n": int(c),
            "n_rest": int(d),
            "expected": e1,
            "expected_rest": e2,
            "g2": g2,
            "p_g2": _chi2_p(g2),
            "chi2": chi2,
            "p_chi2": _chi2_p(chi2),
            "log_ratio": log_ratio,
            "use": np.where(a / c >= b / d if d else True, "over", "under"),
        }
    )
    out = out.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def _label_columns(by: str) -> list[str]:
    return ["doc_id"] if by == "doc_id" else ["doc_id", by]


def kwic(
    docs: pd.DataFrame,
    pattern: str,
    *,
    window: int = 5,
    by: str = "agency",
    regex: bool = False,
    ignore_case: bool = True,
) -> pd.DataFrame:
    """Keyword in context: every match of ``pattern`` with ``window`` words either side.

    A plain ``pattern`` is matched literally as whole words ("war" does not match "award");
    ``regex=True`` takes it as a regular expression, as written. Context is cut at word
    tokens and shown with whitespace (including paragraph breaks) collapsed to single spaces.

    Columns: doc_id, <by>, left, match, right, start, end; ``start``/``end`` are offsets of the
    match in the document's ``text`` (``text[start:end] == match``).

    >>> docs = pd.DataFrame({"doc_id": ["1"], "agency": ["AP"],
    ...     "text": ["Russia's war in Ukraine, an award-winning war story."]})
    >>> kwic(docs, "war", window=2)[["left", "match", "right", "start"]].values.tolist()
    [["Russia's", 'war', 'in Ukraine', 9], ['an award-winning', 'war', 'story', 42]]
    """
    _check(docs, by)
    flags = re.IGNORECASE if ignore_case else 0
    source = pattern if regex else r"(?<!\w)" + re.escape(pattern) + r"(?!\w)"
    compiled = re.compile(source, flags)
    labels = _label_columns(by)
    rows = []
    label_values = list(zip(*(docs[c] for c in labels), strict=True))
    for values, text in zip(label_values, _texts(docs), strict=True):
        for match in compiled.finditer(text):
            if match.end() == match.start():
                continue
            rows.append(
                (
                    *values,
                    _squeeze(_left_context(text, match.start(), window)),
                    match.group(),
                    _squeeze(_right_context(text, match.end(), window)),
                    match.start(),
                    match.end(),
                )
            )
    columns = [*labels, "left", "match", "right", "start", "end"]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({"start": "int64", "end": "int64"})


def _left_context(text: str, pos: int, window: int) -> str:
    """The text from the start of the ``window``-th token before ``pos`` up to ``pos``."""
    if window <= 0:
        return ""
    reach = 16 * (window + 1)
    while True:
        low = max(0, pos - reach)
        spans = token_spans(text[low:pos])
        if low > 0 and spans and spans[0][0] == 0:
            spans = spans[1:]  # may be the tail of a word cut by the slice
        if len(spans) >= window or low == 0:
            return text[low + spans[-window:][0][0] : pos] if spans else ""
        reach *= 2


def _right_context(text: str, pos: int, window: int) -> str:
    """The text from ``pos`` to the end of the ``window``-th token after it."""
    if window <= 0:
        return ""
    reach = 16 * (window + 1)
    while True:
        high = min(len(text), pos + reach)
        spans = token_spans(text[pos:high])
        if high < len(text) and spans and spans[-1][1] == high - pos:
            spans = spans[:-1]  # may be the head of a word cut by the slice
        if len(spans) >= window or high == len(text):
            return text[pos : pos + spans[:window][-1][1]] if spans else ""
        reach *= 2


_SPACES = re.compile(r"\s+")


def _squeeze(text: str) -> str:
    return _SPACES.sub(" ", text).strip(" ")


def _ngram_sets(texts: list[str], n: int) -> list[np.ndarray]:
    """The distinct word n-grams of each text, numbered: equal n-grams (of lower-cased words,
    quotes folded) get equal numbers within one call, distinct ones distinct numbers."""
    words = [tokens(fold_quotes(text)) for text in texts]
    counts = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    # Each spelling is lower-cased once: a number per word, then per run of 2, 3 ... n words.
    spelled, spellings = pd.factorize(np.fromiter(chain.from_iterable(words), dtype=object,
                                                  count=int(counts.sum())))
    lowered, vocabulary = pd.factorize(np.array([w.lower() for w in spellings], dtype=object))
    word = lowered[spelled] if len(spelled) else np.zeros(0, dtype=np.int64)
    per_text = np.maximum(counts - n + 1, 0)
    first_word = np.cumsum(counts) - counts
    start = np.repeat(first_word, per_text) + (
        np.arange(int(per_text.sum())) - np.repeat(np.cumsum(per_text) - per_text, per_text)
    )
    gram = word[start]
    for k in range(1, n):
        gram = pd.factorize(gram * len(vocabulary) + word[start + k])[0]
    # Each text's distinct n-grams, in one sort: (text, n-gram) numbers made unique.
    distinct = max(1, int(gram.max()) + 1) if len(gram) else 1
    keyed = np.sort(np.repeat(np.arange(len(texts), dtype=np.int64), per_text) * distinct + gram)
    keyed = keyed[np.r_[True, keyed[1:] != keyed[:-1]]] if len(keyed) else keyed
    text_of, gram_of = np.divmod(keyed, distinct)
    return np.split(gram_of, np.searchsorted(text_of, np.arange(1, len(texts))))


def reuse(
    docs: pd.DataFrame,
    *,
    n: int = 5,
    by: str = "agency",
    min_shared: int = 2,
    min_containment: float = 0.0,
    max_docs: int = 100,
) -> pd.DataFrame:
    """Pairs of documents that share word n-grams (text reuse), with containment and Jaccard.

    Words are lower-cased tokens; an n-gram is ``n`` consecutive words. For each pair that
    shares at least ``min_shared`` distinct n-grams: ``shared_ngrams``, the distinct n-gram
    counts ``ngrams_a`` and ``ngrams_b``, ``containment_a = shared / ngrams_a`` (the share of
    ``doc_a`` that is also in ``doc_b``), ``containment_b`` likewise, and ``jaccard = shared /
    (ngrams_a + ngrams_b - shared)``.

    Pairs are found through an inverted index of n-grams, so only documents that share an
    n-gram are ever compared. An n-gram found in more than ``max_docs`` documents is a stock
    phrase or boilerplate ("Secretary of State Antony Blinken", a copyright line): it does not
    help make a pair, since every one of its documents would pair with every other, but it
    still counts in ``shared_ngrams`` of pairs that share ``min_shared`` other n-grams. How
    many n-grams were set aside this way is in ``attrs["common_ngrams"]``; raise ``max_docs``
    for a corpus in which one story is republished by more than ``max_docs`` outlets.

    On a large corpus of articles about the same events most pairs share a few n-grams;
    ``min_containment`` keeps only pairs where at least that share of one of the two documents
    is in the other (e.g. 0.2), which keeps the output to the pairs worth reading.

    Columns: doc_a, doc_b, <by>_a, <by>_b, shared_ngrams, ngrams_a, ngrams_b, containment_a,
    containment_b, jaccard; sorted by shared_ngrams, largest first. :func:`shared_passages`
    shows the passages themselves.

    >>> docs = pd.DataFrame({"doc_id": ["1", "2", "3"], "agency": ["EFE", "EFE", "AP"],
    ...     "text": ["Russia has military bases in Kyrgyzstan and Tajikistan, it said.",
    ...              "Russia has military bases in Kyrgyzstan and Tajikistan and more.",
    ...              "Nothing in common here at all today."]})
    >>> reuse(docs, n=3)[["doc_a", "doc_b", "shared_ngrams", "ngrams_a"]].values.tolist()
    [['1', '2', 6, 8]]
    """
    _check(docs, by)
    if n < 1:
        raise ValueError("n must be at least 1")
    grams = _ngram_sets(_texts(docs), n)
    found = candidate_pairs(grams, max_docs=max_docs, min_shared=min_shared, count_common=True)
    a_idx, b_idx = found["a"].to_numpy(), found["b"].to_numpy()
    shared = found["shared"].to_numpy()
    sizes = np.fromiter((len(g) for g in grams), dtype=np.int64, count=len(grams))
    size_a, size_b = sizes[a_idx], sizes[b_idx]
    labels, ids = docs[by].to_numpy(), docs["doc_id"].to_numpy()
    out = pd.DataFrame(
        {
            "doc_a": ids[a_idx],
            "doc_b": ids[b_idx],
            f"{by}_a": labels[a_idx],
            f"{by}_b": labels[b_idx],
            "shared_ngrams": shared,
            "ngrams_a": size_a,
            "ngrams_b": size_b,
            "containment_a": shared / np.maximum(size_a, 1),
            "containment_b": shared / np.maximum(size_b, 1),
            "jaccard": shared / np.maximum(size_a + size_b - shared, 1),
        }
    )
    if min_containment > 0:
        out = out[np.maximum(out["containment_a"], out["containment_b"]) >= min_containment]
    out = out.sort_values(["shared_ngrams", "doc_a", "doc_b"], ascending=[False, True, True])
    out = out.reset_index(drop=True)
    out.attrs["common_ngrams"] = found.attrs["common_features"]
    return out


def _passages(text_a: str, text_b: str, n: int) -> list[tuple[int, int, int, int, int]]:
    """Greedy tiling: maximal runs of >= n equal words, in order of ``text_a``.

    Returns (start_a, end_a, start_b, end_b, words) character spans.
    """
    spans_a, spans_b = token_spans(text_a), token_spans(text_b)
    words_a = [fold_quotes(text_a[s:e]).lower() for s, e in spans_a]
    words_b = [fold_quotes(text_b[s:e]).lower() for s, e in spans_b]
    where: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(words_b) - n + 1):
        where.setdefault(tuple(words_b[j : j + n]), []).append(j)
    used_b = np.zeros(len(words_b), dtype=bool)
    out = []
    i = 0
    while i <= len(words_a) - n:
        best_j, best_len = -1, 0
        for j in where.get(tuple(words_a[i : i + n]), ()):
            if used_b[j]:
                continue
            length = n
            while (
                i + length < len(words_a)
                and j + length < len(words_b)
                and not used_b[j + length]
                and words_a[i + length] == words_b[j + length]
            ):
                length += 1
            if length > best_len:
                best_j, best_len = j, length
        if best_len:
            used_b[best_j : best_j + best_len] = True
            out.append(
                (
                    spans_a[i][0],
                    spans_a[i + best_len - 1][1],
                    spans_b[best_j][0],
                    spans_b[best_j + best_len - 1][1],
                    best_len,
                )
            )
            i += best_len
        else:
            i += 1
    return out


def shared_passages(
    docs: pd.DataFrame, pairs: pd.DataFrame | None = None, *, n: int = 5
) -> pd.DataFrame:
    """The passages two documents share: maximal runs of at least ``n`` identical words.

    ``pairs`` is any frame with ``doc_a`` and ``doc_b`` columns, typically (the top rows of)
    :func:`reuse`; by default every pair that :func:`reuse` finds with the same ``n``. Words are
    compared lower-cased, ignoring punctuation and spacing, so a passage may differ in commas.
    Each word of ``doc_b`` is used in at most one passage.

    Columns: doc_a, doc_b, passage (0-based, in the order of doc_a), words, start_a, end_a,
    start_b, end_b (offsets into each document's ``text``), text_a, text_b.

    >>> docs = pd.DataFrame({"doc_id": ["1", "2"], "agency": ["EFE", "EFE"],
    ...     "text": ["However, Russia maintains its influence in the region, both ...",
    ...              "Nevertheless, Russia maintains its influence in the region, in ..."]})
    >>> shared_passages(docs, n=3)[["words", "text_a", "start_b"]].values.tolist()
    [[7, 'Russia maintains its influence in the region', 14]]
    """
    _check(docs)
    if pairs is None:
        pairs = reuse(docs, n=n, by="doc_id", min_shared=1)
    text_of = dict(zip(docs["doc_id"], _texts(docs), strict=True))
    rows = []
    for doc_a, doc_b in zip(pairs["doc_a"], pairs["doc_b"], strict=True):
        text_a, text_b = text_of[doc_a], text_of[doc_b]
        for k, (sa, ea, sb, eb, words) in enumerate(_passages(text_a, text_b, n)):
            rows.append((doc_a, doc_b, k, words, sa, ea, sb, eb, text_a[sa:ea], text_b[sb:eb]))
    columns = [
        "doc_a",
        "doc_b",
        "passage",
        "words",
        "start_a",
        "end_a",
        "start_b",
        "end_b",
        "text_a",
        "text_b",
    ]
    return pd.DataFrame(rows, columns=columns)
