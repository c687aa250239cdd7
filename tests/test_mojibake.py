"""Tests for corpusutils.clean.mojibake: repairs of UTF-8 read through the wrong code page."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpusutils.clean.mojibake import explain_mojibake, fix_mojibake


def broken(text: str, *codepages: str) -> str:
    """``text`` after its UTF-8 bytes were decoded with each code page in turn.

    The round trip must be lossless, so that the broken form still holds every byte.
    """
    for codepage in codepages:
        raw = text.encode("utf-8")
        text = raw.decode(codepage)
        assert text.encode(codepage) == raw
    return text


def apply_repairs(text: str, repairs: list[dict]) -> str:
    for repair in sorted(repairs, key=lambda r: r["start"], reverse=True):
        text = text[: repair["start"]] + repair["after"] + text[repair["end"] :]
    return text


def read_seed(seeds_dir: Path, prefix: str) -> str:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# --- the seed corpus -------------------------------------------------------------------------


def test_seed_000_names_are_repaired(seeds_dir: Path) -> None:
    raw = read_seed(seeds_dir, "000")
    # Read in the file: the president's and the Kyrgyz minister's names are garbled.
    assert "Kasim-Yomart Tokรกyev ." in raw
    assert "Jenbeek Kulubรกev;" in raw
    # "รก" is "á" in UTF-8 read as Thai cp874.
    assert broken("á", "cp874") == "รก"

    fixed, repairs = explain_mojibake(raw)

    assert fixed == raw.replace("Tokรกyev", "Tokáyev").replace("Kulubรกev", "Kulubáev")
    assert [(r["before"], r["after"]) for r in repairs] == [("รก", "á"), ("รก", "á")]
    assert all("cp874" in r["chain"] for r in repairs)
    assert [raw[r["start"] - 3 : r["end"] + 3] for r in repairs] == ["Tokรกyev", "lubรกev;"]
    # Curly quotes elsewhere in the story stay as they are.
    assert fixed.count("“") == raw.count("“") > 0
    assert fixed.count("’") == raw.count("’") > 0


@pytest.mark.parametrize("prefix", ["001", "002", "003", "004"])
def test_other_seeds_are_left_alone(seeds_dir: Path, prefix: str) -> None:
    # Read in the files: their only non-ASCII characters are quotes, dashes, a no-break space
    # and a copyright sign, all correct.
    raw = read_seed(seeds_dir, prefix)
    assert explain_mojibake(raw) == (raw, [])


# --- names broken through named code pages ---------------------------------------------------

BREAKS = [
    ("Tokáyev", ("cp874",)),
    ("Nguyễn", ("cp874",)),
    ("Kulubáev", ("tis-620",)),
    ("Müller", ("koi8-r",)),
    ("Зеленський", ("koi8-r",)),
    ("Erdoğan", ("cp1251",)),
    ("Μητσοτάκης", ("cp1251",)),
    ("Dvořák", ("cp1253",)),
    ("Sánchez", ("cp1255",)),
    ("Orbán", ("cp1256",)),
    ("القاهرة", ("cp1256",)),
    ("Björk", ("cp1257",)),
    ("Čaputová", ("cp1258",)),
    ("Zürich", ("cp850",)),
    ("Gdańsk", ("iso-8859-5",)),
    ("Wałęsa", ("iso-8859-7",)),
    ("Ñuñoa", ("iso-8859-9",)),
    ("Žižek", ("iso-8859-15",)),
    ("São Paulo", ("mac-cyrillic",)),
    ("Þórsdóttir", ("cp1252",)),
    ("Tokáyev", ("cp874", "latin-1")),
    ("Dvořák", ("cp1251", "cp1252")),
]


@pytest.mark.parametrize(("name", "codepages"), BREAKS)
def test_broken_name_in_correct_sentence(name: str, codepages: tuple[str, ...]) -> None:
    sentence = f"On Tuesday “{name}” met officials in Astana — sources said, in a 5–4 vote."
    garbled = sentence.replace(name, broken(name, *codepages))
    assert garbled != sentence
    assert fix_mojibake(garbled) == sentence


@pytest.mark.parametrize(("name", "codepages"), BREAKS[:12])
def test_whole_sentence_broken(name: str, codepages: tuple[str, ...]) -> None:
    sentence = f"The minister met {name} on Tuesday, officials said."
    assert fix_mojibake(broken(sentence, *codepages)) == sentence


def test_both_names_of_a_story_broken_differently() -> None:
    text = (
        f"{broken('Tokáyev', 'cp874')} met {broken('Erdoğan', 'koi8-r')} and "
        f"{broken('Müller', 'cp1252')} in “{broken('Łódź', 'iso-8859-5')}”."
    )
    assert fix_mojibake(text) == "Tokáyev met Erdoğan and Müller in “Łódź”."


# --- correct text ----------------------------------------------------------------------------

CORRECT = [
    "ห้องประชุมรกมากหลังการแถลงข่าว",  # Thai, with the word "รก" (the shape of "á" in cp874)
    "เขาบอกว่า ห้อง รก และ เก่า",
    "Её выступление вызвало резонанс; «СССР» — аббревиатура.",
    "Він заявив, що Україна продовжить боротьбу.",
    "Қазақстан Президенті Қасым-Жомарт Тоқаев Астанада.",
    "Η ΆΓΚΥΡΑ και η ΑΘΉΝΑ ξεκίνησαν νέο γύρο διαλόγου.",
    "وصل وزير الخارجية الأمريكي إلى أستانا في زيارة رسمية.",
    "رئیس‌جمهور ایران در سفر به مسکو گفت",
    "שָׁלוֹם עֲלֵיכֶם — צה״ל הודיע, המחיר 20 ₪.",
    "İstanbul'da şiddetli yağış; Kılıçdaroğlu ve Çavuşoğlu.",
    "Tổng Bí thư Nguyễn Phú Trọng tiếp Ngoại trưởng tại Hà Nội.",
    "美国国务卿布林肯抵达哈萨克斯坦首都阿斯塔纳。東京都内で停電が発生しました。",
    "प्रधानमंत्री नरेंद्र मोदी ने नई दिल्ली में मुलाकात की।",
    "თბილისში ათასობით ადამიანი გამოვიდა ქუჩაში.",
    "Երևանում տեղի ունեցավ հանրահավաք։",
    "© 2023 Reuters. Shares rose ½ point to €14.20 — at −12 °C, “quoted” and ‘single’…",
    "Íñigo Errejón, Þórdís Gylfadóttir, Ålesund, Dvořák, Łódź and Hämäläinen met.",
    "Temperatures hit 40º in Madrid; 2,724,900 km² ± 3%; Brand®; № 5.",
]


@pytest.mark.parametrize("text", CORRECT)
def test_correct_text_is_byte_identical(text: str) -> None:
    assert explain_mojibake(text) == (text, [])


# Correct text that looks like mojibake: accented capitals ("SÃO"), symbols next to letters and
# digits, box drawing. Each reads right as it stands, so it must come through unchanged.
LOOKALIKES = [
    "SÃO PAULO (Reuters) - Shares fell.",
    "¿Qué pasa? ¡Sí! «Ça va», dit-il.",
    "Price: 5×£40, roughly €46 ± 2%.",
    "√2 ≈ 1.414 and ∑x² ≥ 0 — always.",
    "┌─┐ │ └─┘ box drawing in a table",
    "Temperatures of 3° ± 0.5° in Ålesund.",
    "ÉTÉ, Öl, Übung, Straße — ÄÖÜ in caps.",
    "The index rose 2012→2013 (∞ growth, µ ≈ 0).",
    "Naïve café owners in Zürich said « non ».",
    "AT&T¬ spelled ¬ with a not sign; ´ is an acute accent.",
]


@pytest.mark.parametrize("text", LOOKALIKES)
def test_lookalikes_are_left_alone(text: str) -> None:
    assert explain_mojibake(text) == (text, [])


def test_typographic_quotes_are_kept_while_repairing() -> None:
    text = f"“It’s a ‘historic’ day,” {broken('Kulubáev', 'cp874')} said—twice."
    assert fix_mojibake(text) == "“It’s a ‘historic’ day,” Kulubáev said—twice."


def test_quote_mojibake_is_repaired_into_curly_quotes() -> None:
    # ftfy's part of the repair: the quotes come back curly, not straightened.
    text = broken("‘Peace now,’ he said — it’s over.", "cp1252")
    assert fix_mojibake(text) == "‘Peace now,’ he said — it’s over."


# --- the explanation -------------------------------------------------------------------------


def test_explained_spans_point_at_the_input() -> None:
    text = (
        f"{broken('Tokáyev', 'cp874')} and {broken('Zelenskyy’s', 'cp1252')} aide, "
        f"{broken('Müller', 'koi8-r')}, met in {broken('São Paulo', 'cp1252', 'cp1252')}."
    )
    fixed, repairs = explain_mojibake(text)
    assert fixed == "Tokáyev and Zelenskyy’s aide, Müller, met in São Paulo."
    assert len(repairs) == 4
    for repair in repairs:
        assert text[repair["start"] : repair["end"]] == repair["before"]
        assert repair["chain"]
    assert apply_repairs(text, repairs) == fixed
    chains = [r["chain"] for r in repairs]
    assert "cp874" in chains[0]
    assert chains[1].startswith("ftfy")
    assert "koi8-r" in chains[2]


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_is_idempotent(text: str) -> None:
    fixed, repairs = explain_mojibake(text)
    assert fix_mojibake(fixed) == fixed
    assert apply_repairs(text, repairs) == fixed
    for repair in repairs:
        assert text[repair["start"] : repair["end"]] == repair["before"]


LATIN_AND_FRIENDS = st.text(
    alphabet=st.sampled_from(
        list("abcdefgh ,.ÃÂÅÄ€™œž©®¡¢£¤¥§¨ª«¬°±²³´µ¶·¸¹º»¼½¾¿áéíóúñüöäçš“”‘’—–…\xa0")
        + list("รกะัผขฃคЀЁЂЃГДЕПРСУФкпяёΓΕΞΟ΅Ά×֏ֳ׳أؤ├┼╝║√≈∆")
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(LATIN_AND_FRIENDS)
def test_idempotent_on_mojibake_like_text(text: str) -> None:
    fixed = fix_mojibake(text)
    assert fix_mojibake(fixed) == fixed


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_ascii_is_unchanged(text: str) -> None:
    assert explain_mojibake(text) == (text, [])
