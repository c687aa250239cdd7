"""Distinctive terms, keyness, keyword in context and text reuse.

Expected values come from the formulas as published, computed here with plain Python
arithmetic, and from reading the seed articles.
"""

from __future__ import annotations

import math
from itertools import combinations

import pandas as pd
import pytest

from corpusutils.text import token_spans, tokens
from corpusutils.wording import (
    distinctive_terms,
    keyness,
    kwic,
    reuse,
    shared_passages,
    term_counts,
)


@pytest.fixture(scope="module")
def docs(seed_docs) -> pd.DataFrame:
    return seed_docs


def _docs(texts: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """docs frame from {doc_id: (agency, text)}."""
    return pd.DataFrame(
        [(doc_id, agency, text) for doc_id, (agency, text) in texts.items()],
        columns=["doc_id", "agency", "text"],
    )


# --- distinctive_terms: Monroe, Colaresi and Quinn (2008) ---------------------------------

TOY = _docs(
    {
        "1": ("AP", "war war war talks peace"),
        "2": ("AP", "war talks"),
        "3": ("EFE", "talks talks talks peace peace war"),
        "4": ("AFP", "peace talks"),
    }
)
# The count table, read off the texts above.
TOY_COUNTS = {
    "AP": {"war": 4, "talks": 2, "peace": 1},
    "EFE": {"war": 1, "talks": 3, "peace": 2},
    "AFP": {"war": 0, "talks": 1, "peace": 1},
}


def _fightin_words(counts, group, word, alpha_0=None):
    """Monroe et al. (2008): log-odds with prior a_w = alpha_0 * y_w / N, and its variance."""
    n_i = sum(counts[group].values())
    total = sum(sum(c.values()) for c in counts.values())
    n_j = total - n_i
    y_w = sum(c[word] for c in counts.values())
    y_i = counts[group][word]
    y_j = y_w - y_i
    a0 = total if alpha_0 is None else alpha_0
    a_w = a0 * y_w / total
    delta = math.log((y_i + a_w) / (n_i + a0 - y_i - a_w)) - math.log(
        (y_j + a_w) / (n_j + a0 - y_j - a_w)
    )
    variance = 1 / (y_i + a_w) + 1 / (y_j + a_w)
    return delta, variance, delta / math.sqrt(variance)


@pytest.mark.parametrize("alpha_0", [None, 10.0, 0.5])
def test_distinctive_terms_match_the_published_formula(alpha_0):
    out = distinctive_terms(TOY, min_count=1, alpha_0=alpha_0, include_absent=True)
    assert len(out) == 9
    for row in out.itertuples():
        delta, variance, z = _fightin_words(TOY_COUNTS, row.agency, row.term, alpha_0)
        assert row.count == TOY_COUNTS[row.agency][row.term]
        assert row.log_odds == pytest.approx(delta, rel=1e-12)
        assert row.variance == pytest.approx(variance, rel=1e-12)
        assert row.z == pytest.approx(z, rel=1e-12)


def test_distinctive_terms_columns_totals_and_order():
    out = distinctive_terms(TOY, min_count=1)
    assert list(out.columns) == [
        "agency",
        "term",
        "count",
        "count_rest",
        "n",
        "n_rest",
        "log_odds",
        "variance",
        "z",
    ]
    # Without include_absent, AFP has no row for "war", which it never uses.
    assert not ((out["agency"] == "AFP") & (out["term"] == "war")).any()
    ap = out[out["agency"] == "AP"]
    assert set(ap["n"]) == {7} and set(ap["n_rest"]) == {8}
    assert ap["term"].iloc[0] == "war"  # 4 of AP's 7 words, 1 of the other 8
    assert ap["z"].is_monotonic_decreasing


def test_min_count_drops_rare_terms():
    out = distinctive_terms(TOY, min_count=5)
    assert set(out["term"]) == {"war", "talks"}  # peace occurs 4 times


def test_distinctive_terms_on_the_seeds(docs):
    out = distinctive_terms(docs)
    afp = out[out["agency"] == "AFP"].set_index("term")
    # AFP (001) alone writes "Anthony" (twice); the others write "Antony".
    assert afp.loc["anthony", "count"] == 2
    assert afp.loc["anthony", "count_rest"] == 0
    assert afp.loc["anthony", "z"] > 0
    # Acronyms keep their case: "US" is not the pronoun "us".
    assert "US" in set(out["term"])
    # Every term's count is split between the group and the rest.
    for _, rows in out.groupby("term"):
        assert (rows["count"] + rows["count_rest"]).nunique() == 1


def test_canonical_names_take_house_spelling_out_of_the_counts(docs):
    plain = distinctive_terms(docs)
    canonical = distinctive_terms(docs, canonicalize_names=True)
    assert "anthony" in set(plain["term"])
    assert "anthony" not in set(canonical["term"])
    antony = canonical[canonical["term"] == "antony"].set_index("agency")["count"]
    # Antony: EFE 000 and 003, AP 002 once (its deck is not body text); Anthony twice in AFP.
    assert antony.to_dict() == {"AFP": 2, "AP": 1, "EFE": 2}


@pytest.mark.parametrize("copies", [1, 20])
def test_term_counts_equal_a_direct_count(docs, copies):
    # 20 copies of the seeds make few large groups, counted by a different route in the code.
    many = pd.concat([docs.assign(doc_id=docs["doc_id"] + f"-{k}") for k in range(copies)])
    expected: dict[tuple[str, str], int] = {}
    for agency, text in zip(many["agency"], many["text"], strict=True):
        for token in tokens(text):
            token = token.replace("’", "'")  # the seeds' only other apostrophe: one word
            term = token if len(token) > 1 and token.isupper() else token.lower()
            expected[(agency, term)] = expected.get((agency, term), 0) + 1
    out = distinctive_terms(many, min_count=1)
    got = {(r.agency, r.term): r.count for r in out.itertuples()}
    assert got == expected


def test_grouping_by_document(docs):
    out = distinctive_terms(docs, by="doc_id")
    assert set(out["doc_id"]) == set(docs["doc_id"])


# --- keyness: Rayson and Garside (2000), Hardie (2014) ------------------------------------

# Target: "war" 10 times in 100 words; reference: "war" 5 times in 400 words.
KEY = _docs({"t": ("AP", "war " * 10 + "filler " * 90), "r": ("EFE", "war " * 5 + "other " * 395)})


def test_keyness_reproduces_a_hand_worked_table():
    a, b, c, d = 10, 5, 100, 400
    e1 = c * (a + b) / (c + d)  # 3
    e2 = d * (a + b) / (c + d)  # 12
    g2 = 2 * (a * math.log(a / e1) + b * math.log(b / e2))
    observed = [a, b, c - a, d - b]
    expected = [e1, e2, c - e1, d - e2]
    chi2 = sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True))
    yates = sum((abs(o - e) - 0.5) ** 2 / e for o, e in zip(observed, expected, strict=True))
    row = keyness(KEY, "AP").set_index("term").loc["war"]
    assert (row["count"], row["count_rest"], row["n"], row["n_rest"]) == (a, b, c, d)
    assert row["expected"] == pytest.approx(3.0)
    assert row["expected_rest"] == pytest.approx(12.0)
    assert row["g2"] == pytest.approx(g2, rel=1e-12)
    assert row["g2"] == pytest.approx(15.3248, abs=1e-4)
    assert row["chi2"] == pytest.approx(chi2, rel=1e-12)
    assert row["chi2"] == pytest.approx(21.0481, abs=1e-4)
    assert row["log_ratio"] == pytest.approx(3.0)  # (10/100) / (5/400) = 8
    assert row["use"] == "over"
    with_yates = keyness(KEY, "AP", yates=True).set_index("term").loc["war"]
    assert with_yates["chi2"] == pytest.approx(yates, rel=1e-12)


def test_keyness_p_values_use_the_chi_squared_tail():
    # 3.841459 and 6.634897 are the 5% and 1% critical values of chi-squared with 1 df.
    docs = _docs({"t": ("AP", "war " * 10 + "filler " * 90), "r": ("EFE", "war " * 5 + "x " * 395)})
    out = keyness(docs, "AP")
    from corpusutils.wording import _chi2_p

    assert _chi2_p(3.841458820694124) == pytest.approx(0.05, rel=1e-9)
    assert _chi2_p(6.634896601021214) == pytest.approx(0.01, rel=1e-9)
    row = out.set_index("term").loc["war"]
    assert row["p_g2"] == pytest.approx(_chi2_p(row["g2"]))


def test_log_ratio_replaces_a_zero_frequency_by_a_half():
    row = keyness(KEY, "AP").set_index("term").loc["filler"]  # 90 in target, 0 in reference
    assert row["log_ratio"] == pytest.approx(math.log2((90 / 100) / (0.5 / 400)))
    assert row["g2"] == pytest.approx(2 * 90 * math.log(90 / (100 * 90 / 500)))


def test_keyness_on_the_seeds(docs):
    out = keyness(docs, "EFE")
    assert out["g2"].is_monotonic_decreasing
    assert set(out["agency"]) == {"EFE"}
    n_efe = len(tokens(" ".join(docs.loc[docs["agency"] == "EFE", "text"])))
    assert set(out["n"]) == {n_efe}
    # "Tleuberdi" is only in the two EFE stories (000 once, 003 once).
    row = out.set_index("term").loc["tleuberdi"]
    assert (row["count"], row["count_rest"], row["use"]) == (2, 0, "over")


def test_keyness_unknown_target_is_explained(docs):
    with pytest.raises(ValueError, match="TASS"):
        keyness(docs, "TASS")


# --- kwic ------------------------------------------------------------------------------------


def test_kwic_on_the_seeds(docs):
    out = kwic(docs, "Tokayev", window=3)
    assert list(out.columns) == ["doc_id", "agency", "left", "match", "right", "start", "end"]
    # Read off the seeds: 000 once (its other mention is "Tokáyev"), 001 once, 002, 003 and
    # 004 twice each.
    assert out.groupby("doc_id").size().to_dict() == {
        "000": 1,
        "001": 1,
        "002": 2,
        "003": 2,
        "004": 2,
    }
    text_of = dict(zip(docs["doc_id"], docs["text"], strict=True))
    for row in out.itertuples():
        assert text_of[row.doc_id][row.start : row.end] == row.match
    first = out[out["doc_id"] == "000"].iloc[0]
    assert first["left"] == "democratic principles, since"
    assert first["right"] == "told Russian President"
    accented = kwic(docs, r"Tok[aá]yev", regex=True)
    assert len(accented) == 9


def test_kwic_context_equals_a_whole_text_word_count(docs):
    # Every "the" of the seeds, with the context cut from the word offsets of the whole text.
    out = kwic(docs, "the", window=4)
    text_of = dict(zip(docs["doc_id"], docs["text"], strict=True))
    assert len(out) > 100
    for row in out.itertuples():
        text = text_of[row.doc_id]
        spans = token_spans(text)
        before = [s for s in spans if s[1] <= row.start][-4:]
        after = [s for s in spans if s[0] >= row.end][:4]
        left = " ".join(text[before[0][0] : row.start].split()) if before else ""
        right = " ".join(text[row.end : after[-1][1]].split()) if after else ""
        assert (row.left, row.right) == (left, right)


def test_kwic_matches_whole_words_only():
    docs = _docs({"1": ("AP", "An award for the war; WAR again.")})
    out = kwic(docs, "war")
    assert out["match"].tolist() == ["war", "WAR"]
    assert kwic(docs, "war", ignore_case=False)["match"].tolist() == ["war"]
    assert kwic(docs, "peace").empty


# --- reuse -----------------------------------------------------------------------------------


def _five_grams(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in tokens(text)]
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def test_reuse_equals_a_direct_pairwise_count(docs):
    grams = {d: _five_grams(t) for d, t in zip(docs["doc_id"], docs["text"], strict=True)}
    expected = {}
    for a, b in combinations(sorted(grams), 2):
        shared = len(grams[a] & grams[b])
        if shared >= 2:
            expected[(a, b)] = (
                shared,
                shared / len(grams[a]),
                shared / len(grams[b]),
                shared / len(grams[a] | grams[b]),
            )
    out = reuse(docs)
    got = {
        (r.doc_a, r.doc_b): (r.shared_ngrams, r.containment_a, r.containment_b, r.jaccard)
        for r in out.itertuples()
    }
    assert got.keys() == expected.keys()
    for pair, values in expected.items():
        assert got[pair] == pytest.approx(values)


def test_min_containment_keeps_pairs_where_one_side_is_mostly_shared(docs):
    grams = {d: _five_grams(t) for d, t in zip(docs["doc_id"], docs["text"], strict=True)}
    expected = set()
    for a, b in combinations(sorted(grams), 2):
        shared = len(grams[a] & grams[b])
        if shared >= 2 and max(shared / len(grams[a]), shared / len(grams[b])) >= 0.05:
            expected.add((a, b))
    out = reuse(docs, min_containment=0.05)
    assert set(zip(out["doc_a"], out["doc_b"], strict=True)) == expected
    assert ("000", "003") in expected  # the two EFE stories


def test_counts_stay_exact_when_common_ngrams_are_set_aside(docs):
    # With max_docs=2 an n-gram in three or more seeds finds no pair, yet still counts.
    grams = {d: _five_grams(t) for d, t in zip(docs["doc_id"], docs["text"], strict=True)}
    out = reuse(docs, max_docs=2)
    assert out.attrs["common_ngrams"] > 0  # "secretary of state antony blinken": 000, 002, 003
    assert len(out) > 0
    for row in out.itertuples():
        assert row.shared_ngrams == len(grams[row.doc_a] & grams[row.doc_b])


def test_the_two_efe_stories_share_far_more_than_any_other_pair(docs):
    out = reuse(docs)
    top = out.iloc[0]
    assert (top["doc_a"], top["doc_b"]) == ("000", "003")
    assert (top["agency_a"], top["agency_b"]) == ("EFE", "EFE")
    assert top["shared_ngrams"] >= 2 * out["shared_ngrams"].iloc[1:].max()
    passages = shared_passages(docs, out.head(1))
    joined = " | ".join(passages["text_a"])
    for phrase in (
        "Russia maintains its influence in the region",
        "Russia has military bases in Kyrgyzstan and Tajikistan",
        "in a veiled reference to the",
        "Lugansk and Donetsk in eastern Ukraine",
    ):
        assert phrase in joined
    text_of = dict(zip(docs["doc_id"], docs["text"], strict=True))
    for row in passages.itertuples():
        assert text_of[row.doc_a][row.start_a : row.end_a] == row.text_a
        assert text_of[row.doc_b][row.start_b : row.end_b] == row.text_b
        assert row.words >= 5
        assert [w.lower() for w in tokens(row.text_a)] == [w.lower() for w in tokens(row.text_b)]


def test_boilerplate_beyond_max_docs_finds_no_pair_but_still_counts():
    boiler = "all rights reserved this material may not be published"
    story = "Russia has military bases in Kyrgyzstan and Tajikistan today"
    docs = _docs(
        {
            "1": ("EFE", f"{story}. {boiler}"),
            "2": ("EFE", f"{story}. {boiler}"),
            "3": ("AP", f"Other words entirely here. {boiler}"),
        }
    )
    full = reuse(docs, max_docs=10)
    assert len(full) == 3
    assert full.attrs["common_ngrams"] == 0
    capped = reuse(docs, max_docs=2)
    # The pair 1-2 is still found through the story, with its boilerplate n-grams counted.
    assert capped[["doc_a", "doc_b"]].values.tolist() == [["1", "2"]]
    assert capped["shared_ngrams"].iloc[0] == full["shared_ngrams"].iloc[0]
    assert capped.attrs["common_ngrams"] == 5  # the five 5-grams of the 9-word boilerplate


def test_words_counted_once_serve_distinctive_terms_and_keyness(docs):
    counts = term_counts(docs, canonicalize_names=True)
    # As read in the seeds (see above): Antony in EFE 000 and 003, AP 002 once, AFP twice.
    antony = counts[counts["term"] == "antony"].set_index("agency")["count"]
    assert antony.to_dict() == {"AFP": 2, "AP": 1, "EFE": 2}
    pd.testing.assert_frame_equal(
        distinctive_terms(docs, canonicalize_names=True, counts=counts),
        distinctive_terms(docs, canonicalize_names=True),
    )
    pd.testing.assert_frame_equal(
        keyness(docs, canonicalize_names=True, counts=counts),
        keyness(docs, canonicalize_names=True),
    )
    with pytest.raises(ValueError, match="counts has no column 'term'"):
        keyness(docs, counts=counts.rename(columns={"term": "word"}))


def test_reuse_ngrams_never_run_from_one_article_into_the_next():
    # Read by hand: 1 ends "... five six" and 2 starts "seven eight ...", so only a 5-gram
    # running across the two would be shared with 3. 4 is 3's "three four five six seven"
    # written in other letter cases and with a typographic apostrophe: the same words.
    docs = _docs({
        "1": ("AP", "one two three four five six"),
        "2": ("AP", "seven eight nine ten eleven"),
        "3": ("EFE", "three four five six seven eight nine ten o'clock"),
        "4": ("AFP", "Three FOUR five SIX seven"),
        "5": ("AFP", "nine ten O’Clock"),
    })
    out = reuse(docs, n=5, min_shared=1)
    assert out[["doc_a", "doc_b", "shared_ngrams", "ngrams_a", "ngrams_b"]].values.tolist() == [
        ["3", "4", 1, 5, 1]
    ]
    out = reuse(docs, n=3, min_shared=1)
    pairs = out[["doc_a", "doc_b", "shared_ngrams"]].values.tolist()
    # 3-grams: 1 and 3 share "three four five" and "four five six"; 3 and 5 "nine ten o'clock".
    assert ["1", "3", 2] in pairs and ["3", "5", 1] in pairs
    assert not any(a in ("1", "2") and b in ("1", "2") for a, b, _ in pairs)


def test_reuse_with_no_shared_text_is_empty():
    docs = _docs({"1": ("AP", "one two three four five six"), "2": ("EFE", "seven eight nine")})
    out = reuse(docs)
    assert out.empty
    assert "jaccard" in out.columns


def test_keyness_of_every_group_at_once_has_each_groups_own_rows(docs):
    # Four groups: the reference of each is the other three, counted once for all of them.
    every = keyness(docs, canonicalize_names=True)
    assert every["agency"].drop_duplicates().tolist() == sorted(docs["agency"].unique())
    for agency in docs["agency"].unique():
        alone = keyness(docs, agency, canonicalize_names=True)
        mine = every[every["agency"] == agency].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone)
    # Reuters' 'war' row, counted here by hand from the tokens: in Reuters and in the rest.
    words = {g: [t.lower() for t in tokens(" ".join(docs.loc[docs["agency"] == g, "text"]))]
             for g in docs["agency"].unique()}
    row = every[(every["agency"] == "Reuters") & (every["term"] == "war")].iloc[0]
    assert row["count"] == words["Reuters"].count("war")
    assert row["count_rest"] == sum(w.count("war") for g, w in words.items() if g != "Reuters")


def test_keyness_with_no_word_frequent_enough_is_empty_not_an_error():
    docs = pd.DataFrame({"doc_id": ["1", "2"], "agency": ["AP", "EFE"], "text": ["alpha", "beta"]})
    out = keyness(docs, min_count=2)
    assert out.empty
    assert list(out.columns) == ["agency", "term", "count", "count_rest", "n", "n_rest",
                                 "expected", "expected_rest", "g2", "p_g2", "chi2", "p_chi2",
                                 "log_ratio", "use"]
