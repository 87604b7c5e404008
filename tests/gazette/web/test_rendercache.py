"""The site's render cache: a rebuild keeps a document's files when nothing they are made of
changed, renders them again otherwise, and a broken cache or a hand-edited page only costs time."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.web import rendercache, site, urls
from gazette.web.pages import Page, SiteData
from tests.gazette.web.conftest import INTERPRETATION_TITLE, Tree, make_site_archive

POLICY = "国发〔2019〕3号"  # the policy the sample interpretation interprets, by title


@pytest.fixture
def built(tmp_path: Path) -> tuple[Archive, Path]:
    archive = make_site_archive(tmp_path / "archive")
    out = tmp_path / "site"
    site.build_site(archive, out)
    return archive, out


def rendered_documents(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The document pages the next build renders (the test archives are small: rendered in this process)."""
    seen: list[str] = []
    render = site.render_page

    def counting(page: Page, data: SiteData) -> bytes:
        if page.template == "document.html":
            seen.append(page.path)
        return render(page, data)

    monkeypatch.setattr(site, "render_page", counting)
    return seen


def fresh(archive: Archive, folder: Path) -> Tree:
    site.build_site(archive, folder)
    return Tree.of(folder)


def test_an_unchanged_rebuild_renders_no_document(built: tuple[Archive, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    archive, out = built
    seen = rendered_documents(monkeypatch)
    report = site.build_site(archive, out)
    assert seen == [] and report.written == []
    assert (out / rendercache.CACHE).is_file()


def test_a_changed_title_renders_its_page_and_the_pages_that_name_it(
    built: tuple[Archive, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    archive, out = built
    interpretation = next(d for d in archive.documents() if d.title == INTERPRETATION_TITLE)
    policy = archive.get_document(POLICY)
    archive.put_document(replace(policy, title=policy.title + "（修订）"))
    archive.flush()
    seen = rendered_documents(monkeypatch)
    site.build_site(archive, out)
    # the policy's page, and its interpretation's, which lists it by title
    assert sorted(seen) == sorted([urls.document_page(POLICY), urls.document_page(interpretation.id)])
    monkeypatch.undo()
    assert Tree.of(out) == fresh(archive, tmp_path / "fresh")


@pytest.mark.parametrize(
    "garbage",
    [b"", b"\xff\xfe not json", b"[]", b'{"format": 1, "renderer": 5, "documents": {"x": 1}}', b"{}"],
)
def test_a_broken_cache_only_costs_time(
    built: tuple[Archive, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, garbage: bytes
) -> None:
    archive, out = built
    (out / rendercache.CACHE).write_bytes(garbage)
    seen = rendered_documents(monkeypatch)
    report = site.build_site(archive, out)
    assert seen and report.written == []  # rendered again, found the same bytes
    monkeypatch.undo()
    assert Tree.of(out) == fresh(archive, tmp_path / "fresh")


def test_a_cache_that_lies_about_a_page_is_caught_by_its_mtime(built: tuple[Archive, Path], tmp_path: Path) -> None:
    """A page changed by hand (same size, new content) is written again, as without a cache."""
    archive, out = built
    page = out / urls.document_page(POLICY)
    original = page.read_bytes()
    page.write_bytes(original.replace(b"<h1>", b"<h9>", 1))
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 1_000_000))
    report = site.build_site(archive, out)
    assert urls.document_page(POLICY) in report.written
    assert page.read_bytes() == original


def test_a_removed_page_is_written_again(built: tuple[Archive, Path]) -> None:
    archive, out = built
    (out / urls.document_page(POLICY)).unlink()
    report = site.build_site(archive, out)
    assert report.written == [urls.document_page(POLICY)]


def test_another_renderer_renders_everything(built: tuple[Archive, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    archive, out = built
    monkeypatch.setattr(rendercache, "renderer_version", lambda: "another template")
    seen = rendered_documents(monkeypatch)
    site.build_site(archive, out)
    assert len(seen) == len({path for path in seen}) and len(seen) > 5


def test_a_changed_base_url_renders_everything(built: tuple[Archive, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    archive, out = built
    seen = rendered_documents(monkeypatch)
    report = site.build_site(archive, out, "https://gazette.example.gov.cn/")
    assert len(seen) > 5 and urls.document_page(POLICY) in report.written


def test_a_copied_site_is_rendered_again_and_comes_out_the_same(built: tuple[Archive, Path], tmp_path: Path) -> None:
    """A copy has new mtimes: its cache entries no longer match, nothing is kept blindly."""
    archive, out = built
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    report = site.build_site(archive, copy)
    assert report.written == [] and Tree.of(copy) == Tree.of(out)
