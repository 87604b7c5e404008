"""The site in Debian's Chromium: axe-core finds no serious or critical violation on any page of the
demo's site and the corpus's, and screenshots of the home, issue and document pages on a phone and
a desktop go to tests/artifacts/ (look at them; the README shows one)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from gazette.archive import Archive
from gazette.demo import run_demo
from gazette.web import urls
from gazette.web.site import build_site
from tests.browser import ARTIFACTS, VIEWPORTS, pages_with_viewports, serious_violations
from tests.gazette.web.test_corpus_site import corpus_archive

pytestmark = pytest.mark.slow

DEMO_ISSUE = """\
[issue]
gazette = "政府公报样刊"
year = 2019
number = 2
total = 2
date = 2019-02-28
publisher = "国务院办公厅"

[[sections]]
title = "国务院文件"
documents = ["国发〔2019〕3号", "国函〔2018〕145号"]

[[sections]]
title = "国务院办公厅文件"
documents = ["国办发〔2018〕109号"]
"""
DEMO_DOCUMENT = "国发〔2019〕3号"
DEMO_ISSUE_ID = "政府公报样刊-2019-2"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`gazette demo`'s archive with an issue of three samples published into it, as a site."""
    from publish.run import publish_issue

    folder = tmp_path_factory.mktemp("demo")
    archive = run_demo(folder, Console(file=io.StringIO()))
    manifest = folder / "issue.toml"
    manifest.write_text(DEMO_ISSUE, "utf-8")
    publish_issue(manifest, folder / "published", Archive.open_existing(archive.root))
    build_site(Archive.open_existing(archive.root), folder / "site", "https://gazette.example.gov.cn/")
    return folder / "site"


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    build_site(corpus_archive(folder / "archive"), folder / "site")
    return folder / "site"


def axe_all(browser: Any, site: Path) -> dict[str, list[dict[str, Any]]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = {}
    try:
        for path in sorted(site.rglob("*.html")):
            page.goto(path.as_uri())
            violations = serious_violations(page)
            if violations:
                found[path.relative_to(site).as_posix()] = violations
    finally:
        context.close()
    return found


def test_the_demo_site_has_an_issue_pdf(demo_site: Path) -> None:
    assert (demo_site / urls.issue_pdf(DEMO_ISSUE_ID)).stat().st_size > 10_000
    assert "issue.pdf" in (demo_site / urls.issue_page(DEMO_ISSUE_ID)).read_text("utf-8")


@pytest.mark.parametrize("which", ["demo_site", "corpus_site"])
def test_no_serious_accessibility_violation_on_any_page(
    which: str, browser: Any, request: pytest.FixtureRequest
) -> None:
    site = request.getfixturevalue(which)
    assert axe_all(browser, site) == {}


def test_screenshots_on_a_phone_and_a_desktop(demo_site: Path, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shown = {"home": urls.HOME, "issue": urls.issue_page(DEMO_ISSUE_ID), "document": urls.document_page(DEMO_DOCUMENT)}
    for viewport, page in pages_with_viewports(browser):
        for name, path in shown.items():
            page.goto((demo_site / path).as_uri())
            # nothing is wider than the screen: no sideways scrolling on a phone
            assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport][0], (viewport, name)
            shot = ARTIFACTS / f"site-{name}-{viewport}.png"
            page.screenshot(path=str(shot), full_page=viewport == "phone")
            assert shot.stat().st_size > 10_000


def test_print_hides_the_navigation_and_no_script_is_needed(demo_site: Path, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto((demo_site / urls.document_page(DEMO_DOCUMENT)).as_uri())
        assert page.locator("h1").inner_text() == "国务院关于促进综合保税区高水平开放高质量发展的若干意见"
        assert page.locator("section.text").inner_text().count("。") > 20
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('header.site')).display") == "none"
        assert page.evaluate("getComputedStyle(document.querySelector('section.text')).display") != "none"
    finally:
        context.close()


def test_the_catalogue_sorts_by_a_column(demo_site: Path, browser: Any) -> None:
    page = browser.new_page()
    try:
        page.goto((demo_site / urls.catalogue_year("国务院办公厅", "2018")).as_uri())
        page.get_by_role("button", name="文号").click()
        numbers = page.locator("table.catalogue tbody tr td:nth-child(3)").all_inner_texts()
        assert numbers == sorted(numbers)
        assert page.locator("th[aria-sort]").count() == 1
    finally:
        page.close()


def test_a_scanned_document_shows_its_pages_beside_the_text(demo_site: Path, browser: Any) -> None:
    """The demo's scan: its page images right of the text on a desktop, after it on a phone, never
    wider than the screen, lazy-loaded, left out in print; its unchecked fields carry the 机读 mark."""
    scanned = next(
        path for path in sorted((demo_site / "documents").rglob("index.html")) if 'class="scans"' in path.read_text()
    )
    ARTIFACTS.mkdir(exist_ok=True)
    for viewport, page in pages_with_viewports(browser):
        page.goto(scanned.as_uri())
        text = page.locator("section.text").bounding_box()
        scans = page.locator("aside.scans").bounding_box()
        assert text is not None and scans is not None
        if viewport == "desktop":
            assert scans["x"] >= text["x"] + text["width"] - 1 and scans["y"] < text["y"] + text["height"]
        else:
            assert scans["y"] >= text["y"] + text["height"] - 1
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport][0]
        image = page.locator("aside.scans img").first
        assert image.get_attribute("loading") == "lazy" and "页" in (image.get_attribute("alt") or "")
        assert page.locator(".machine-read").count() >= 1
        page.screenshot(path=str(ARTIFACTS / f"site-scanned-{viewport}.png"), full_page=viewport == "phone")
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('aside.scans')).display") == "none"
