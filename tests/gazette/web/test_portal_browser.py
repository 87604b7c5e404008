"""The portal in Debian's Chromium (Playwright): search a phrase and see it highlighted, click a
year facet, open a result, follow its PDF link, go back with the query kept; on a phone and a
desktop; screenshots into tests/artifacts/; axe-core on the search and document pages."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from gazette.archive import Archive
from gazette.demo import run_demo
from tests.browser import ARTIFACTS, pages_with_viewports, serious_violations
from tests.gazette.web.test_browser import DEMO_ISSUE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def portal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`gazette demo`'s archive with an issue published into it, served by uvicorn in a thread."""
    import uvicorn

    from gazette.web.portal import create_app
    from publish.run import publish_issue

    folder = tmp_path_factory.mktemp("demo")
    archive = run_demo(folder, Console(file=io.StringIO()))
    manifest = folder / "issue.toml"
    manifest.write_text(DEMO_ISSUE, "utf-8")
    publish_issue(manifest, folder / "published", Archive.open_existing(archive.root))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(archive.root), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the portal did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_search_facet_result_pdf_and_back(portal_url: str, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for name, page in pages_with_viewports(browser):
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(portal_url + "/")
        page.fill("#site-q", "阳光政务") if page.is_visible("#site-q") else page.goto(portal_url + "/search/")
        if "/search/" not in page.url:
            page.press("#site-q", "Enter")
        else:
            page.fill("#q", "阳光政务")
            page.press("#q", "Enter")
        page.wait_for_load_state()
        assert "q=" in page.url
        assert page.locator("ol.hits mark").first.inner_text() == "阳光政务"
        page.screenshot(path=str(ARTIFACTS / f"portal-search-{name}.png"), full_page=True)
        # a year facet narrows the search, and the URL keeps the whole state
        page.goto(portal_url + "/search/?q=" + "通知")
        year = page.locator('.facets section[aria-label="成文年份"] a').first
        label = year.inner_text().split(" ")[0]
        year.click()
        page.wait_for_load_state()
        assert f"from={label}" in page.url and f"to={label}" in page.url
        assert page.locator('.facets section[aria-label="成文年份"] [aria-current]').inner_text() == label
        # open a result that has a published PDF, follow the PDF link, come back with the query kept
        page.goto(portal_url + "/search/?q=" + "综合保税区")
        search_url = page.url
        page.locator("ol.hits h3 a").first.click()
        page.wait_for_load_state()
        assert "/documents/" in page.url
        page.screenshot(path=str(ARTIFACTS / f"portal-document-{name}.png"), full_page=True)
        pdf = page.locator('.files a[href$=".pdf"]').first
        with page.expect_response(lambda response: response.url.endswith(".pdf")) as response:
            pdf.evaluate("link => fetch(link.href)")
        assert response.value.status == 200 and response.value.headers["content-type"] == "application/pdf"
        page.go_back()
        page.wait_for_load_state()
        assert page.url == search_url
        assert page.input_value("#q") == "综合保税区"
        assert not [error for error in errors if "Content Security Policy" in error]


def test_no_serious_accessibility_violation_on_the_search_and_document_pages(portal_url: str, browser: Any) -> None:
    # (axe-core is injected as an inline script, which the portal's CSP rightly refuses)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for path in (
            "/search/",
            "/search/?q=通知",
            "/search/?q=阳光&issuer=广东省政府办公室",
            "/documents/%E5%9B%BD%E5%8F%91%E3%80%942019%E3%80%953%E5%8F%B7/",
            "/",
        ):
            page.goto(portal_url + path)
            violations = serious_violations(page)
            if violations:
                found[path] = violations
    finally:
        context.close()
    assert found == {}


def test_search_works_without_javascript(portal_url: str, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(portal_url + "/search/")
        page.fill("#q", "阳光政务")
        page.select_option("#sort", "-date")
        page.click("form.search .box button")
        page.wait_for_load_state()
        assert "sort=-date" in page.url and page.locator("ol.hits mark").count() >= 1
    finally:
        context.close()
    assert Path(ARTIFACTS).is_dir()
