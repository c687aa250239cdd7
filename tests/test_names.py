"""Spelling variants of names across agencies, checked against the seeds as read."""

from __future__ import annotations

import pandas as pd
import pytest

from corpusutils.names import canonicalize_names, name_key, name_variants


@pytest.fixture(scope="module")
def docs(seed_docs) -> pd.DataFrame:
    return seed_docs


@pytest.fixture(scope="module")
def variants(docs) -> pd.DataFrame:
    return name_variants(docs)


def _clusters(variants: pd.DataFrame) -> list[set[str]]:
    return [set(rows["spelling"]) for _, rows in variants.groupby("cluster_id")]


def _cluster_of(variants: pd.DataFrame, spelling: str) -> set[str]:
    for cluster in _clusters(variants):
        if spelling in cluster:
            return cluster
    return {spelling}


def test_the_seed_variants_are_found(variants):
    clusters = _clusters(variants)
    for expected in (
        {"Tileuberdi", "Tleuberdi", "Teleuberdi"},
        {"Tokayev", "Tokáyev"},
        {"Kassym-Jomart", "Kasim-Yomart"},
        {"Antony", "Anthony"},
    ):
        assert expected in clusters


def test_different_names_stay_apart(variants):
    assert "Tajikistan" not in _cluster_of(variants, "Kyrgyzstan")
    # Demonyms are other words, not spellings of the country.
    assert "Russian" not in _cluster_of(variants, "Russia")
    assert "Kazakhs" not in _cluster_of(variants, "Kazakh")
    assert "Kazakhstan" not in _cluster_of(variants, "Kazakh")
    # The Russian and the Ukrainian form of one given name belong to two people here.
    assert "Volodymyr" not in _cluster_of(variants, "Vladimir")
    # Acronyms are never candidates ("US" / "UN").
    assert not set(variants["spelling"]) & {"US", "UN", "CSTO", "SCO"}


def test_who_writes_which_spelling(variants):
    rows = variants.set_index(["spelling", "agency"])
    # From the seeds: EFE's Spanish service (000) writes Tokáyev once and Tleuberdi once,
    # EFE English (003) Tleuberdi once; AFP (001) writes Anthony twice and Teleuberdi once.
    assert rows.loc[("Tokáyev", "EFE"), "count"] == 1
    assert rows.loc[("Tleuberdi", "EFE"), ["count", "n_docs"]].tolist() == [2, 2]
    assert rows.loc[("Anthony", "AFP"), "count"] == 2
    assert rows.loc[("Teleuberdi", "AFP"), "count"] == 1
    assert set(variants.loc[variants["spelling"] == "Kasim-Yomart", "agency"]) == {"EFE"}
    assert list(variants.columns) == [
        "cluster_id",
        "canonical",
        "spelling",
        "agency",
        "count",
        "n_docs",
    ]


def test_canonical_spellings_come_from_the_alias_file(variants):
    canonical = variants.drop_duplicates("spelling").set_index("spelling")["canonical"]
    assert canonical["Tokáyev"] == "Tokayev"
    assert canonical["Kasim-Yomart"] == "Kassym-Jomart"
    assert canonical["Tleuberdi"] == "Tileuberdi"
    assert canonical["Anthony"] == "Antony"


def test_without_an_alias_the_most_frequent_spelling_is_canonical():
    docs = pd.DataFrame(
        {
            "doc_id": ["1", "2", "3"],
            "agency": ["AP", "AP", "EFE"],
            "text": [
                "Shavkat Mirziyoyev spoke.",
                "Mirziyoyev and Mirziyoyev.",
                "Shavkat Mirziyoev spoke.",
            ],
        }
    )
    out = name_variants(docs)
    assert set(out["canonical"]) == {"Mirziyoyev"}
    assert out.set_index("spelling").loc["Mirziyoev", "count"] == 1


def test_a_letter_apart_is_one_name_only_with_evidence():
    def merged(*texts: str) -> bool:
        docs = pd.DataFrame(
            {"doc_id": [str(i) for i in range(len(texts))], "agency": "AP", "text": texts}
        )
        return len(name_variants(docs)) > 0

    # Nothing in the text says these are one man: two spellings are two names.
    assert not merged("Mirziyoyev spoke.", "Mirziyoev spoke.")
    # The same given name beside both spellings says it.
    assert merged("Shavkat Mirziyoyev spoke.", "Shavkat Mirziyoev spoke.")
    # One article writes both, and the rare one is next to no other name: a misspelling.
    assert merged("Volodymyr Zelensky met them. A note said: get Zalensky to announce it.")
    # ... unless each is next to a name of its own: two people (Caleb Andersen, Anderson Cooper).
    assert not merged("Caleb Andersenn spoke to Anderson Cooper and to Jessica Andersenn.")
    # A demonym or plural is another word even with a shared neighbour.
    assert not merged("President Vladimir Putin of Russia.", "Vladimir Russian said.")
    # Short names merge only by accents or apostrophes, never by a letter: I'm / Jim.
    assert not merged("Jim Acosta asked.", "I'm Acosta, he said.")
    assert merged("José Andrés cooked.", "Jose Andres cooked.")


def test_canonicalize_rewrites_the_text(docs):
    out = canonicalize_names(docs)
    text = dict(zip(out["doc_id"], out["text"], strict=True))
    assert "Kassym-Jomart Tokayev" in text["000"]
    assert "Kasim-Yomart" not in text["000"] and "Tokáyev" not in text["000"]
    assert "Anthony" not in text["001"] and "Antony Blinken" in text["001"]
    assert "Mukhtar Tileuberdi" in text["001"]
    assert out.attrs["name_spellings"]["Teleuberdi"] == "Tileuberdi"
    # The input frame is left as it was.
    assert "Anthony" in docs.set_index("doc_id").loc["001", "text"]


def test_spelling_keys():
    assert name_key("Kassym-Jomart") == name_key("Kasim-Yomart")
    assert name_key("Zelenskyy") == name_key("Zelenskyi") == name_key("Zelensky")
    assert name_key("Kyrgyzstan") != name_key("Tajikistan")


def test_canonicalize_replaces_whole_names_only():
    docs = pd.DataFrame(
        {
            "doc_id": ["1"],
            "agency": ["AFP"],
            "text": [
                "Antony and Anthony spoke. Anthonyson and the Anthony-led team; Anthony’s aide."
            ],
        }
    )
    (text,) = canonicalize_names(docs)["text"]
    assert text == "Antony and Antony spoke. Anthonyson and the Anthony-led team; Antony’s aide."


def test_canonicalize_reuses_the_variants_already_found(docs):
    # The same spellings rewritten whether the names are counted again or handed over.
    variants = name_variants(docs, by="agency")
    handed = canonicalize_names(docs, variants=variants)
    counted = canonicalize_names(docs)
    assert handed.attrs["name_spellings"] == counted.attrs["name_spellings"]
    assert handed["text"].tolist() == counted["text"].tolist()
    assert "Tokáyev" not in " ".join(handed["text"])


def test_frequent_names_of_the_seeds(docs):
    # Read from the seeds: all five articles name Blinken (AFP as "Anthony Blinken") and
    # Tokayev (the Spanish-service EFE article as "Kasim-Yomart Tokáyev"), the titles before
    # them ("Secretary of State", "President") are not part of the names.
    from corpusutils.names import frequent_names

    actors = frequent_names(docs)
    terms = actors.groupby("actor")["term"].agg(set)
    assert {"Antony Blinken", "Anthony Blinken", "Blinken"} <= terms["Antony Blinken"]
    assert {"Kassym-Jomart Tokayev", "Kasim-Yomart Tokáyev", "Tokayev"} <= terms[
        "Kassym-Jomart Tokayev"]
    assert actors.loc[actors["actor"] == "Kassym-Jomart Tokayev", "kind"].iloc[0] == "person"
    assert not any(w in " ".join(actors["term"]) for w in ("Secretary", "President", "Tuesday"))
    assert actors["term"].is_unique
