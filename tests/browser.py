"""Driving Debian's Chromium from the tests (Playwright, never a browser of its own), and axe-core.

`make test` installs Chromium (the Makefile's DEBIAN_PACKAGES) and axe-core (the
``axe-playwright-python`` wheel ships ``axe.min.js``, which is injected from disk: nothing
is fetched at run time). Screenshots go to ``tests/artifacts/`` (not committed).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
#: Viewports of the screenshots: a phone and a desktop.
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 900)}
SERIOUS = ("serious", "critical")


def chromium_path() -> str | None:
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def axe_script() -> Path:
    return Path(str(resources.files("axe_playwright_python").joinpath("axe.min.js")))


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless; Playwright's own browser downloads are never used."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=["--disable-gpu"])


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page open in ``page``."""
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def pages_with_viewports(browser: Any) -> Iterator[tuple[str, Any]]:
    for name, (width, height) in VIEWPORTS.items():
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
        try:
            yield name, context.new_page()
        finally:
            context.close()
