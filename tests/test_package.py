"""The package: every public name importable, and `import corpusutils` light."""

from __future__ import annotations

import subprocess
import sys
import types

import corpusutils


def test_every_public_name_resolves_to_its_module() -> None:
    for name in corpusutils.__all__:
        value = getattr(corpusutils, name)
        assert not isinstance(value, types.ModuleType), name
        assert value.__module__.startswith("corpusutils"), name
    assert set(corpusutils.__all__) <= set(dir(corpusutils))


def test_functions_keep_their_names_over_the_modules_of_the_same_name() -> None:
    import corpusutils.quotes
    import corpusutils.readability
    import corpusutils.sentiment  # noqa: F401

    for name in ("readability", "sentiment", "quotes"):
        assert callable(getattr(corpusutils, name)) and getattr(corpusutils, name).__name__ == name
        assert isinstance(sys.modules[f"corpusutils.{name}"], types.ModuleType)
    assert isinstance(corpusutils.plots, types.ModuleType)  # a submodule without a function


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        corpusutils.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("no AttributeError")


def test_import_loads_no_heavy_dependency() -> None:
    """pandas, NLTK, textstat, vaderSentiment and matplotlib load where they are first used."""
    code = (
        "import sys, corpusutils\n"
        "heavy = ('pandas', 'numpy', 'nltk', 'textstat', 'vaderSentiment', 'matplotlib')\n"
        "print(' '.join(m for m in heavy if m in sys.modules) or 'none')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "none"
