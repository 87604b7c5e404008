"""Inputs every test folder shares: real corpus files."""

from __future__ import annotations

from pathlib import Path

import pytest

from samples.corpus import corpus_file


@pytest.fixture(scope="session")
def pdf397() -> Path:
    """A real born-digital red-header document, two issuers, five pages."""
    return corpus_file("govdoc397/397.pdf")


@pytest.fixture(scope="session")
def guangdong() -> Path:
    """A real document saved from a government site, with its disclosure-metadata header."""
    return corpus_file("000_20060089da20eb48.txt")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skipped, saying why, where either is missing."""
    from tests.browser import chromium_path, launch

    if chromium_path() is None:
        pytest.skip("Debian's chromium is not installed (make test installs it: apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
    )
    pytest.importorskip("axe_playwright_python", reason="axe-core is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()
