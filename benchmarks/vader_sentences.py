"""A large, varied corpus of sentences for checking a VADER scorer against the reference.

``vader_sentences(n)`` returns ``n`` sentences (100,000 by default), deterministic, drawn from
text nobody here wrote:

* ``real``: every sentence of the AllSides same-day articles (``content_original``, split by
  ``corpusutils.text.split_sentences``) and every NewsMTSC sentence, read from
  ``../shared/peer/`` (left out, with a note, when that folder is absent);
* ``synthetic``: the sentences of the scale benchmark's corpus (``make_corpus.py``: the seeds
  recombined with their furniture and mojibake), raw text split the same way;
* ``targeted``: real and synthetic sentences with one of VADER's rules put to work: a word in
  capitals (or the whole sentence), a negation before a word ("not", "never", "no", "isn't",
  "without", "least", "at least"), two sentences joined by "but", a booster or dampener
  before a word ("very", "extremely", "hardly", "kind of", "sort of", "just enough"),
  emoticons and emoji, "!" and "?" runs, VADER's special phrases ("the bomb", "kiss of
  death", "yeah right", "bus stop"), "never so" and "without doubt", typographic quotes folded.

Whatever the sources give, the corpus is filled up to ``n`` with more targeted variants, and
the ``kind`` of each sentence is returned beside it.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

from corpusutils.text import split_sentences

HERE = Path(__file__).resolve().parent
PEER = HERE.parents[1] / "shared" / "peer"
sys.path.insert(0, str(HERE))

NEGATIONS = ("not", "never", "no", "isn't", "without", "least", "at least", "nor", "don't")
BOOSTERS = (
    "very", "extremely", "hardly", "kind of", "sort of", "just enough", "so", "really",
    "barely", "EXTREMELY", "somewhat", "totally",
)
EMOTICONS = (":)", ":(", ":D", ":-)", ";)", "<3", ":/", "xD", "😀", "😠", "😢", "👍", "🙂", "☹️")
EMPHASIS = ("!", "!!", "!!!", "!!!!!", "?", "??", "???", "?????", "?!", "!?!")
PHRASES = (
    "the bomb", "kiss of death", "yeah right", "bus stop", "the shit", "to die for",
    "never so", "never this", "without doubt", "bad ass", "cut the mustard", "upper hand",
)
FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _split(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def real_sentences(peer: Path = PEER) -> list[str]:
    """Sentences of the AllSides articles and of NewsMTSC, in file order ([] without them)."""
    out: list[str] = []
    articles = peer / "allsides-sameday" / "articles.jsonl"
    if articles.exists():
        for line in articles.read_text(encoding="utf-8").splitlines():
            out.extend(_split(json.loads(line)["content_original"]))
    for path in sorted((peer / "newsmtsc").glob("*.jsonl")):
        out.extend(json.loads(line)["sentence"] for line in path.read_text("utf-8").splitlines())
    return out


def synthetic_sentences(articles: int = 2_000, seed: int = 0) -> list[str]:
    """Sentences of the raw text of ``articles`` articles built by make_corpus.py."""
    from make_corpus import make_corpus

    out: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        make_corpus(folder, articles, seed=seed)
        for path in sorted(Path(folder).glob("*.txt")):
            out.extend(_split(path.read_text(encoding="utf-8")))
    return out


def _insert(words: list[str], rng: random.Random, phrase: str) -> str:
    at = rng.randrange(len(words) + 1)
    return " ".join([*words[:at], phrase, *words[at:]])


def targeted(sentence: str, other: str, rng: random.Random) -> str:
    """``sentence`` with one of VADER's rules put to work (chosen by ``rng``)."""
    words = sentence.split() or ["nothing"]
    rule = rng.randrange(9)
    if rule == 0:  # capitals: one word, or the whole sentence
        if rng.random() < 0.2:
            return sentence.upper()
        at = rng.randrange(len(words))
        return " ".join(w.upper() if i == at else w for i, w in enumerate(words))
    if rule == 1:
        return _insert(words, rng, rng.choice(NEGATIONS))
    if rule == 2:
        return f"{sentence.rstrip('.')}, but {other[:1].lower()}{other[1:]}"
    if rule == 3:
        return _insert(words, rng, rng.choice(BOOSTERS))
    if rule == 4:
        return _insert(words, rng, rng.choice(EMOTICONS))
    if rule == 5:
        return sentence.rstrip(".") + rng.choice(EMPHASIS)
    if rule == 6:
        return _insert(words, rng, rng.choice(PHRASES))
    if rule == 7:
        return sentence.translate(FOLD)
    # several at once: negation, booster and emphasis around one word
    phrase = f"{rng.choice(NEGATIONS)} {rng.choice(BOOSTERS)}"
    return _insert(words, rng, phrase) + rng.choice(EMPHASIS)


def vader_sentences(n: int = 100_000, *, seed: int = 0) -> list[tuple[str, str]]:
    """(kind, sentence) pairs: real and synthetic first, then targeted variants up to ``n``."""
    rng = random.Random(seed)
    real = real_sentences()
    synthetic = synthetic_sentences(seed=seed)
    base = [("real", s) for s in real] + [("synthetic", s) for s in synthetic]
    rng.shuffle(base)
    base = base[: n // 2]  # at least half of the corpus is targeted
    pool = [s for _, s in base]
    out = list(base)
    while len(out) < n:
        out.append(("targeted", targeted(rng.choice(pool), rng.choice(pool), rng)))
    return out


if __name__ == "__main__":
    corpus = vader_sentences(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
    kinds: dict[str, int] = {}
    for kind, _ in corpus:
        kinds[kind] = kinds.get(kind, 0) + 1
    print(len(corpus), kinds, len({s for _, s in corpus}), "distinct")
