"""Frames and term choice: matching rules, lead weighting, and counts read off the seeds."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpusutils.framing import (
    frame_evidence,
    frame_matches,
    frames,
    load_frame_lexicon,
    load_term_sets,
    term_choice,
)
from corpusutils.text import sentences, tokens

#: The five generic frames and the seed event's example issue frames together.
SEED_EVENT = load_frame_lexicon(["generic", "kazakhstan-2023"])
GENERIC = {"conflict", "economic_consequences", "responsibility", "human_interest", "morality"}
ISSUE = {
    "sovereignty",
    "security",
    "russian_influence",
    "china_role",
    "war_in_ukraine",
    "diplomacy",
    "trade_energy_connectivity",
    "democracy_values",
}


def one_doc(text: str, headline: str | None = None, agency: str = "AP") -> pd.DataFrame:
    return pd.DataFrame(
        {"doc_id": ["x"], "agency": [agency], "headline": [headline], "text": [text]}
    )


def matched(text: str, terms: list[str], headline: str | None = None) -> list[tuple[str, str]]:
    """(term, words as written) for every match of a one-frame lexicon in one document."""
    out = frame_matches(one_doc(text, headline), lexicon={"f": terms})
    return list(zip(out["term"], out["matched"], strict=True))


# --- the lexicon file -------------------------------------------------------------------------


def test_the_default_lexicon_is_the_five_generic_frames() -> None:
    assert set(load_frame_lexicon()["frame"]) == GENERIC
    assert set(load_frame_lexicon("generic")["frame"]) == GENERIC


def test_a_lexicon_of_ones_own_replaces_the_default(tmp_path) -> None:
    own = tmp_path / "mine.csv"
    own.write_text("frame,term\nstrike,strike*\nstrike,walkout\n", encoding="utf-8")
    lexicon = load_frame_lexicon(own)
    assert lexicon["frame"].tolist() == ["strike", "strike"]
    assert lexicon.attrs["sources"] == ["mine.csv"]
    assert set(load_frame_lexicon(["generic", own])["frame"]) == GENERIC | {"strike"}
    bad = tmp_path / "bad.csv"
    bad.write_text("name,word\nx,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv: a frame lexicon needs the columns frame"):
        load_frame_lexicon(bad)
    with pytest.raises(ValueError, match="missing.csv: cannot be read"):
        load_frame_lexicon(tmp_path / "missing.csv")


def test_lexicon_covers_the_generic_and_issue_frames() -> None:
    lexicon = SEED_EVENT
    assert list(lexicon.columns) == ["frame", "family", "term", "comment", "source"]
    families = lexicon.groupby("frame")["family"].unique()
    assert {f for f, fam in families.items() if list(fam) == ["generic"]} == GENERIC
    assert {f for f, fam in families.items() if list(fam) == ["issue"]} == ISSUE
    generic_sources = lexicon.loc[lexicon["family"] == "generic", "source"]
    assert generic_sources.str.startswith("Semetko & Valkenburg (2000)").all()
    assert (lexicon["source"].str.len() > 0).all()
    assert not lexicon.duplicated(["frame", "term"]).any()
    # terms are written as they are matched: lower case, single spaces, * only at the end
    assert (lexicon["term"] == lexicon["term"].str.lower()).all()
    assert not lexicon["term"].str.contains(r"\*.|\s\s|^\s|\s$", regex=True).any()


def test_every_issue_frame_has_evidence_in_the_seeds(seed_docs) -> None:
    found = set(frame_matches(seed_docs, lexicon=SEED_EVENT)["frame"])
    assert ISSUE <= found


def test_term_sets_file() -> None:
    sets = load_term_sets()
    war = sets.loc[sets["concept"] == "war", "term"].tolist()
    assert {"invasion", "war", "conflict", "attack", "special military operation"} <= set(war)


# --- matching rules ---------------------------------------------------------------------------


def test_case_is_ignored_and_whole_words_only() -> None:
    text = "WAR and War's end. Warsaw warned of software wars; a war-torn land."
    assert [m for _, m in matched(text, ["war"])] == ["WAR", "War", "war"]


def test_wildcard_adds_letters_within_one_word() -> None:
    text = "Sanctions, sanctioned, unsanctioned, sanction-busting, Sanction."
    got = [m for _, m in matched(text, ["sanction*"])]
    assert got == ["Sanctions", "sanctioned", "sanction", "Sanction"]


def test_hyphen_and_apostrophe_are_word_boundaries() -> None:
    assert [m for _, m in matched("post-Soviet and ex-Soviet states", ["soviet"])] == [
        "Soviet",
        "Soviet",
    ]
    assert [m for _, m in matched("Russia’s and Russia's", ["russia"])] == ["Russia", "Russia"]


def test_phrase_spaces_match_any_whitespace_and_apostrophes_both_forms() -> None:
    text = "the territorial\nintegrity and   territorial integrity of Russia’s influence"
    got = matched(text, ["territorial integrity", "russia's influence"])
    assert [t for t, _ in got] == ["territorial integrity"] * 2 + ["russia's influence"]
    assert got[0][1] == "territorial\nintegrity"
    assert got[2][1] == "Russia’s influence"


def test_hyphen_in_a_term_matches_hyphen_characters_only() -> None:
    got = matched(
        "self-determination, self‑determination, self determination", ["self-determination"]
    )
    assert [m for _, m in got] == ["self-determination", "self‑determination"]


def test_longest_term_wins_and_text_is_matched_once_within_a_frame() -> None:
    text = "support for territorial integrity and the territories"
    got = matched(text, ["territor*", "territorial integrity"])
    assert got == [("territorial integrity", "territorial integrity"), ("territor*", "territories")]


def test_exact_term_is_named_before_a_wildcard() -> None:
    got = matched("sanctions and sanctioned", ["sanction*", "sanctions"])
    assert got == [("sanctions", "sanctions"), ("sanction*", "sanctioned")]


def test_frames_are_independent() -> None:
    lexicon = {
        "war": ["war"],
        "morality": ["war crime*"],
        "security": ["militar*"],
        "naming": ["special military operation"],
    }
    out = frame_matches(one_doc("War crimes in a special military operation."), lexicon=lexicon)
    assert list(zip(out["frame"], out["matched"], strict=True)) == [
        ("war", "War"),
        ("morality", "War crimes"),
        ("naming", "special military operation"),
        ("security", "military"),
    ]


def test_no_match_reaches_across_headline_and_body() -> None:
    got = matched(
        "integrity matters.", ["territorial integrity"], headline="Support for territorial"
    )
    assert got == []


def test_bad_terms_are_refused() -> None:
    for bad in ["call* for", "*war", "war!", "war**"]:
        with pytest.raises(ValueError, match="bad term"):
            frame_matches(one_doc("text"), lexicon={"f": [bad]})


def test_lexicon_may_be_a_data_frame_with_extra_columns() -> None:
    lexicon = pd.DataFrame({"frame": ["f", "f"], "term": ["war", ""], "comment": ["", "blank"]})
    assert [m for _, m in matched("The war.", ["war"])] == ["war"]
    assert frame_matches(one_doc("The war."), lexicon=lexicon)["term"].tolist() == ["war"]


def _reference_matches(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """A plain loop: at each word start, the longest term whose own pattern matches there."""
    patterns = [
        re.compile(
            re.escape(t.rstrip("*")).replace(r"\ ", r"\s+")
            + (r"\w*" if t.endswith("*") else "")
            + r"\b",
            re.IGNORECASE,
        )
        for t in terms
    ]
    spans, pos = [], 0
    while pos < len(text):
        at_word_start = text[pos].isalnum() or text[pos] == "_"
        if at_word_start and (pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] == "_")):
            ends = [m.end() for p in patterns if (m := p.match(text, pos))]
            if ends:
                spans.append((pos, max(ends)))
                pos = max(ends)
                continue
        pos += 1
    return spans


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "war",
                "wars",
                "War",
                "crime",
                "crimes",
                "warcrime",
                "a",
                " ",
                "  ",
                "\n",
                ".",
                ",",
                "-",
                "’s",
                "x",
                "war crime",
                "crime war",
            ]
        ),
        max_size=25,
    )
)
def test_matches_agree_with_a_plain_loop(pieces: list[str]) -> None:
    text = "".join(pieces)
    terms = ["war", "war crime*", "crime", "wa*"]
    table = frame_matches(one_doc(text), lexicon={"f": terms}, headline=False)
    # offsets in the frame are sentence-relative; rebuild document offsets from the sentences
    sents = sentences(one_doc(text))
    starts = dict(zip(sents["sentence"], sents["start"], strict=True))
    got = [
        (starts[s] + a, starts[s] + b)
        for s, a, b in zip(table["sentence"], table["match_start"], table["match_end"], strict=True)
    ]
    expected = [
        (a + start, b + start)
        for start, sent in zip(sents["start"], sents["text"], strict=True)
        for a, b in _reference_matches(sent, terms)
    ]
    assert got == expected


# --- seeds: which sentences carry what --------------------------------------------------------


def test_territorial_integrity_sentences_in_seed_003(seed_docs) -> None:
    # Read from seeds/003: the headline, and body paragraphs 1, 3, 6, 9 and 11 (one sentence
    # each) say "territorial integrity".
    out = frame_matches(seed_docs, lexicon=SEED_EVENT)
    hits = out[(out["doc_id"] == "003") & (out["term"] == "territorial integrity")]
    assert hits["sentence"].nunique() == 6
    assert hits["is_headline"].sum() == 1
    assert (hits.loc[hits["is_headline"], "sentence"] == -1).all()
    # and independently: a substring check over the same sentences
    sents = sentences(seed_docs[seed_docs["doc_id"] == "003"])
    body = sum("territorial integrity" in s.lower() for s in sents["text"])
    assert body == 5


def test_territorial_integrity_per_agency(seed_docs) -> None:
    # Read from the seeds: 000 two sentences, 003 six (with the headline), 001 two, 002 one,
    # 004 one (hard-wrapped across a line in the raw file).
    out = frame_matches(seed_docs, lexicon=SEED_EVENT)
    hits = out[out["term"] == "territorial integrity"].drop_duplicates(["doc_id", "sentence"])
    assert hits.groupby("agency").size().to_dict() == {"AFP": 2, "AP": 1, "EFE": 8, "Reuters": 1}


def test_match_offsets_point_at_the_words(seed_docs) -> None:
    out = frame_matches(seed_docs, lexicon=SEED_EVENT)
    assert len(out) > 100
    for text, a, b, words in zip(
        out["text"], out["match_start"], out["match_end"], out["matched"], strict=True
    ):
        assert text[a:b] == words
    assert list(out.columns) == [
        "doc_id",
        "agency",
        "sentence",
        "is_headline",
        "frame",
        "term",
        "matched",
        "match_start",
        "match_end",
        "text",
    ]


def test_china_frame_sentences_read_from_the_seeds(seed_docs) -> None:
    # 000: the opening sentence ("China is seeking") and the Samarkand sentence ("Chinese
    # President Xi Jinping", "China"); 001: "close to China", "the growing influence of China",
    # "their other powerful neighbor, China". AP and Reuters never mention China.
    out = frames(seed_docs, lexicon={"china": ["china", "chinese", "beijing"]})
    assert out.set_index("agency")["n_with_frame"].to_dict() == {
        "AFP": 3,
        "AP": 0,
        "EFE": 2,
        "Reuters": 0,
    }


# --- shares and lead weighting ----------------------------------------------------------------


def test_lead_weighted_share_by_hand() -> None:
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "agency": ["AP", "AP"],
            "headline": ["War looms", None],
            "text": ["Talks began. The war went on. Prices rose. War again.", "War. Peace."],
        }
    )
    lexicon = {"war": ["war"]}
    per_doc = frames(docs, by="doc_id", lexicon=lexicon).set_index("doc_id")
    # a: headline (3, war), s0 (2), s1 (2, war), s2 (1), s3 (1, war)
    assert per_doc.loc["a", "n_sentences"] == 5
    assert per_doc.loc["a", "n_with_frame"] == 3
    assert per_doc.loc["a", "share"] == pytest.approx(3 / 5)
    assert per_doc.loc["a", "lead_weighted_share"] == pytest.approx(
        (3 + 2 + 1) / (3 + 2 + 2 + 1 + 1)
    )
    # b: no headline; s0 (2, war), s1 (2)
    assert per_doc.loc["b", "lead_weighted_share"] == pytest.approx(2 / 4)
    pooled = frames(docs, lexicon=lexicon).iloc[0]
    assert pooled["n_docs"] == 2
    assert pooled["share"] == pytest.approx(4 / 7)
    assert pooled["lead_weighted_share"] == pytest.approx((6 + 2) / (9 + 4))
    flat = frames(docs, lexicon=lexicon, headline_weight=1, lead_weight=1).iloc[0]
    assert flat["lead_weighted_share"] == pytest.approx(flat["share"])
    no_lead = frames(docs, lexicon=lexicon, lead_sentences=0).iloc[0]
    assert no_lead["lead_weighted_share"] == pytest.approx((3 + 1 + 1 + 1) / (3 + 4 + 2))
    no_head = frames(docs, lexicon=lexicon, headline=False).iloc[0]
    assert (no_head["n_sentences"], no_head["n_with_frame"]) == (6, 3)


def test_frames_recomputed_with_a_plain_loop(seed_docs) -> None:
    words = {"troops", "military", "security", "militarily", "conscription"}
    out = frames(seed_docs, lexicon={"sec": sorted(words)}).set_index("agency")
    units = []  # (agency, weight, text): headline 3, first two body sentences 2, the rest 1
    for doc in seed_docs.itertuples():
        if isinstance(doc.headline, str) and doc.headline.strip():
            units.append((doc.agency, 3.0, doc.headline))
        body = sentences(seed_docs[seed_docs["doc_id"] == doc.doc_id])["text"].tolist()
        units += [(doc.agency, 2.0 if i < 2 else 1.0, s) for i, s in enumerate(body)]
    for agency in seed_docs["agency"].unique():
        mine = [
            (w, bool(words & set(re.findall(r"\w+", s.lower()))))
            for a, w, s in units
            if a == agency
        ]
        assert out.loc[agency, "n_sentences"] == len(mine)
        assert out.loc[agency, "n_with_frame"] == sum(has for _, has in mine)
        assert out.loc[agency, "share"] == pytest.approx(sum(h for _, h in mine) / len(mine))
        assert out.loc[agency, "lead_weighted_share"] == pytest.approx(
            sum(w for w, h in mine if h) / sum(w for w, _ in mine)
        )


def test_frames_table_shape(seed_docs) -> None:
    out = frames(seed_docs)
    n_frames = load_frame_lexicon()["frame"].nunique()
    assert list(out.columns) == [
        "agency",
        "frame",
        "n_docs",
        "n_sentences",
        "n_with_frame",
        "share",
        "lead_weighted_share",
    ]
    assert len(out) == 4 * n_frames
    assert out.groupby("agency")["n_docs"].first().to_dict() == {
        "AFP": 1,
        "AP": 1,
        "EFE": 2,
        "Reuters": 1,
    }
    assert out["share"].between(0, 1).all() and out["lead_weighted_share"].between(0, 1).all()
    per_doc = frames(seed_docs, by="doc_id")
    assert set(per_doc["doc_id"]) == set(seed_docs["doc_id"])
    # pooled counts are the sums of the per-document counts
    efe = (
        per_doc[per_doc["doc_id"].isin(["000", "003"])]
        .groupby("frame", sort=False)[["n_sentences", "n_with_frame"]]
        .sum()
    )
    pooled = out[out["agency"] == "EFE"].set_index("frame")[["n_sentences", "n_with_frame"]]
    pd.testing.assert_frame_equal(efe, pooled, check_names=False)


def test_many_copies_give_the_same_shares(seed_docs) -> None:
    copies = pd.concat(
        [seed_docs.assign(doc_id=seed_docs["doc_id"] + f"-{i}") for i in range(40)],
        ignore_index=True,
    )
    one = frames(seed_docs)
    many = frames(copies)
    assert (many["n_with_frame"].to_numpy() == 40 * one["n_with_frame"].to_numpy()).all()
    np.testing.assert_allclose(many["share"], one["share"])
    np.testing.assert_allclose(many["lead_weighted_share"], one["lead_weighted_share"])


def test_group_without_sentences_has_no_share() -> None:
    docs = pd.DataFrame({"doc_id": ["a", "b"], "agency": ["AP", "AFP"], "text": ["War.", ""]})
    out = frames(docs, lexicon={"war": ["war"]}).set_index("agency")
    assert out.loc["AFP", "n_sentences"] == 0 and np.isnan(out.loc["AFP", "share"])
    assert out.loc["AP", "share"] == 1.0


def test_missing_text_column_is_explained() -> None:
    with pytest.raises(ValueError, match="clean the corpus"):
        frames(pd.DataFrame({"doc_id": ["a"], "agency": ["AP"], "raw_text": ["War."]}))


# --- evidence ---------------------------------------------------------------------------------


def test_evidence_for_reuters_sovereignty(seed_docs) -> None:
    # seeds/004: "territorial claims", "supports the sovereignty, independence and territorial
    # integrity of Kazakhstan, which won independence", "longest continuous land border".
    ev = frame_evidence(seed_docs, frame="sovereignty", lexicon=SEED_EVENT)
    reuters = ev[ev["agency"] == "Reuters"]
    assert len(reuters) == 3
    row = reuters[reuters["text"].str.contains("Washington supports")].iloc[0]
    assert row["terms"] == "sovereign*; independen*; territorial integrity"
    assert row["matched"] == "sovereignty; independence; territorial integrity"
    assert row["n_matches"] == 4
    assert list(ev.columns) == [
        "agency",
        "frame",
        "doc_id",
        "sentence",
        "is_headline",
        "n_matches",
        "terms",
        "matched",
        "text",
    ]


def test_evidence_agrees_with_matches(seed_docs) -> None:
    ev = frame_evidence(seed_docs, lexicon=SEED_EVENT)
    matches = frame_matches(seed_docs, lexicon=SEED_EVENT)
    per_sentence = matches.groupby(["doc_id", "sentence", "frame"]).size()
    assert len(ev) == len(per_sentence)
    assert ev["n_matches"].sum() == len(matches)
    # headline rows come first within a document, and EFE's headline is there
    efe_sov = ev[(ev["agency"] == "EFE") & (ev["frame"] == "sovereignty")]
    assert efe_sov.iloc[0]["doc_id"] == "000"
    assert efe_sov[efe_sov["doc_id"] == "003"].iloc[0]["is_headline"]


def test_evidence_unknown_frame() -> None:
    with pytest.raises(ValueError, match="unknown frame"):
        frame_evidence(one_doc("War."), frame="framing")


# --- term choice ------------------------------------------------------------------------------


def test_who_says_invasion_and_who_says_war(seed_docs) -> None:
    out = term_choice(seed_docs).set_index(["agency", "term"])
    count = out["count"]
    # Read from the seeds. invasion: 001 AFP three times, 002 AP three, 004 Reuters two, EFE
    # never. war: 000 twice and 003 three times (EFE), 001 once, 002 four times counting the
    # headline and "war's"; Reuters never.
    assert {a: count[a, "invasion"] for a in ["AFP", "AP", "EFE", "Reuters"]} == {
        "AFP": 3,
        "AP": 3,
        "EFE": 0,
        "Reuters": 2,
    }
    assert {a: count[a, "war"] for a in ["AFP", "AP", "EFE", "Reuters"]} == {
        "AFP": 1,
        "AP": 4,
        "EFE": 5,
        "Reuters": 0,
    }
    assert out.loc[("EFE", "war"), "n_docs_using"] == 2
    assert out.loc[("AP", "attack"), "count"] == 1
    assert out.xs("special military operation", level="term")["count"].sum() == 0
    assert out.loc[("AP", "conflict"), "count"] == 2  # Ukraine, and Afghanistan


def test_term_choice_recomputed_independently(seed_docs) -> None:
    terms = ["invasion", "war", "conflict"]
    out = term_choice(seed_docs, terms).set_index(["agency", "term"])
    for agency, docs in seed_docs.groupby("agency"):
        texts = [
            t
            for pair in zip(docs["headline"], docs["text"], strict=True)
            for t in pair
            if isinstance(t, str)
        ]
        n_words = sum(len(tokens(t)) for t in texts)
        for term in terms:
            count = sum(len(re.findall(rf"\b{term}\b", t, re.IGNORECASE)) for t in texts)
            row = out.loc[(agency, term)]
            assert row["count"] == count
            assert row["n_words"] == n_words
            assert row["per_1000_words"] == pytest.approx(1000 * count / n_words)
            assert row["n_docs"] == len(docs)


def test_term_choice_counts_each_term_on_its_own() -> None:
    docs = one_doc("A full-scale invasion. The invasion went on.")
    out = term_choice(docs, ["invasion", "full-scale invasion"]).set_index("term")
    assert out.loc["invasion", "count"] == 2
    assert out.loc["full-scale invasion", "count"] == 1


def test_term_choice_columns_and_errors(seed_docs) -> None:
    out = term_choice(seed_docs, ["war"], by="doc_id")
    assert list(out.columns) == [
        "doc_id",
        "term",
        "count",
        "n_words",
        "per_1000_words",
        "n_docs_using",
        "n_docs",
    ]
    assert out.set_index("doc_id")["count"].to_dict() == {
        "000": 2,
        "001": 1,
        "002": 4,
        "003": 3,
        "004": 0,
    }
    with pytest.raises(ValueError, match="no term set"):
        term_choice(seed_docs, concept="peace")
    with pytest.raises(ValueError, match="bad term"):
        term_choice(seed_docs, ["war*s"])
