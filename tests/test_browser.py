"""The built reports in a real browser: every page opens, shows its figures, logs no error.

Uses Debian's Chromium (``apt-get install chromium``), headless, with a fresh profile and its
network features off; the reports fetch nothing, so nothing leaves the machine. Without
Chromium these tests are skipped.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from corpusutils.report import NOTEBOOK_PATTERN, build_reports, default_notebooks_dir

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed; on Debian or Ubuntu: apt-get install chromium",
)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
    "--window-size=1200,1600",
]

PAGES = ["index"] + sorted(
    p.stem for p in default_notebooks_dir().glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name)
)
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def seed_reports(seeds_dir, seed_lexicons, tmp_path_factory) -> Path:
    # Same folder as tests/test_notebooks.py uses, so one session builds the seeds' reports once.
    out = tmp_path_factory.getbasetemp() / "seed-reports" / "reports"
    if not (out / "index.html").is_file():
        build_reports(seeds_dir, out, **seed_lexicons)
    return out


def chromium(page: Path, *args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.append(dict(attrs).get("src") or "")


def image_bytes(page: Path, src: str) -> bytes:
    if src.startswith("data:"):
        header, _, payload = src.partition(",")
        assert header.endswith(";base64"), f"{page.name}: image is not base64: {header}"
        return base64.b64decode(payload)
    target = (page.parent / src).resolve()
    assert target.is_relative_to(page.parent.resolve()), f"{page.name}: {src} is outside"
    return target.read_bytes()


def console_messages(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_its_figures_and_logs_no_console_message(name, seed_reports, tmp_path):
    page = seed_reports / f"{name}.html"
    result = chromium(page, "--dump-dom", profile=tmp_path / "profile")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_messages(result.stderr) == []
    assert "</main>" in result.stdout or name == "index"

    images = _Images()
    images.feed(result.stdout)
    figures = sorted((seed_reports / "figures").glob("*.png"))
    if name == "index":
        assert len(images.sources) == len(figures)
    elif name != "00-overview":
        assert len(images.sources) >= 1, f"{name}: no figure on the page"
    for src in images.sources:
        data = image_bytes(page, src)
        assert data.startswith(PNG) and len(data) > 1000, f"{name}: image {src[:60]} is empty"


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_to_a_screenshot_with_content(name, seed_reports, tmp_path):
    from PIL import Image

    shot = tmp_path / f"{name}.png"
    result = chromium(
        seed_reports / f"{name}.html", f"--screenshot={shot}", profile=tmp_path / "profile"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    with Image.open(shot) as image:
        assert image.size == (1200, 1600)
        darkest, lightest = image.convert("L").getextrema()
    assert lightest - darkest > 100, f"{name}: the page looks blank"
