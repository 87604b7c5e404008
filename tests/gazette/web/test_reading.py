"""Reading a scanned document: its page images beside the text, and a mark on each field a
machine read that no person has checked, in the static site and the portal (one template)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import html5lib
import pytest
from lxml import etree
from starlette.testclient import TestClient

from gazette.archive import Archive
from gazette.edits import accept, edit
from gazette.model import Provenance, ReviewFlag, Source
from gazette.search.service import rebuild_index
from gazette.web import urls
from gazette.web.portal import create_app
from gazette.web.public import unreviewed_fields
from gazette.web.site import build_site
from tests.gazette.conftest import make_document

SCAN = b"%PDF-1.4 a scanned notice, two pages"
SCAN_SHA = hashlib.sha256(SCAN).hexdigest()
PAGES = {3: b"\x89PNG page three", 4: b"\x89PNG page four"}
LOCAL = "/srv/扫描室/2021/第七批"
READ = make_document(
    id="闽政办〔2021〕17号",
    doc_number="闽政办〔2021〕17号",
    doc_number_printed="闽政办〔2021〕17号",
    title="福建省人民政府办公厅关于印发扫描识读试点方案的通知",
    issuer=("福建省人民政府办公厅",),
    date_written="2021-03-02",
    date_published="2021-03-10",
    gazette=None,
    pages=(3, 4),
    source=Source(file="第七批.pdf", sha256=SCAN_SHA, pages=4),
    provenance=Provenance(engine="rapidocr", created="2026-01-01", input_path=f"{LOCAL}/第七批.pdf"),
    confidence={"doc_number": 0.97, "title": 0.93, "issuer": 0.99, "date_written": 0.62, "date_published": 1.0},
    needs_review=(ReviewFlag("date_written", "confidence 0.62"),),
)
TYPED = make_document(  # entered from structured data: no confidence, no images, no mark
    id="闽政〔2021〕1号",
    doc_number="闽政〔2021〕1号",
    title="福建省人民政府关于录入文件的通知",
    confidence={},
    needs_review=(),
    gazette=None,
    source=None,
    pages=(),
)


def scanned_archive(root: Path) -> Archive:
    archive = Archive.create(root)
    archive.put_document(READ)
    archive.put_document(TYPED)
    for page, content in PAGES.items():
        archive.put_file(f"pages/{SCAN_SHA}/{page:04d}.png", content)
    original = root.parent / "第七批.pdf"
    original.write_bytes(SCAN)
    archive.store_original(original)
    archive.flush()
    return archive


def parsed(markup: bytes) -> etree._Element:
    tree: etree._Element = html5lib.parse(markup, treebuilder="lxml", namespaceHTMLElements=False)
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(markup)  # no parse error
    return tree


def marked(tree: etree._Element) -> dict[str, str]:
    """Each mark's place (the dt of its row, or the header's element) → the words it says."""
    found = {}
    for mark in tree.xpath('//*[contains(@class, "machine-read")][not(ancestor::p[@class="machine-note"])]'):
        holder = mark.getparent()
        dt = holder.getprevious() if holder.tag == "dd" else None
        place = dt.text if dt is not None else holder.tag
        found[place] = "".join(mark.itertext())
    return found


def test_the_rule_marks_unchecked_machine_read_fields_only() -> None:
    assert unreviewed_fields(READ) == ("doc_number", "title", "issuer", "date_written")
    assert unreviewed_fields(TYPED) == ()
    assert unreviewed_fields(make_document(confidence={"title": 1.0}, needs_review=())) == ()
    flagged = make_document(confidence={}, needs_review=(ReviewFlag("issuer", "two readings disagree"),))
    assert unreviewed_fields(flagged) == ("issuer",)


def check_document_page(markup: bytes, here: str) -> etree._Element:
    """The page images beside the text (lazy, described, each with its SHA-256, no local path)
    and the marks, each with its words for a screen reader."""
    tree = parsed(markup)
    text = markup.decode("utf-8")
    assert LOCAL not in text and "/srv/" not in text
    reading = tree.xpath('//div[@class="reading"]')
    assert len(reading) == 1
    assert [child.tag for child in reading[0]] == ["section", "aside"]  # the text first, then its pages
    figures = reading[0].xpath('aside[@class="scans"]//figure')
    assert len(figures) == 2
    for (page, content), figure in zip(sorted(PAGES.items()), figures, strict=True):
        img = figure.find(".//img")
        assert img.get("loading") == "lazy" and f"第{page}页" in img.get("alt")
        assert img.get("src") == urls.href(here, urls.page_image(SCAN_SHA, page))
        assert figure.find("a").get("href") == img.get("src")
        assert figure.findtext(".//code") == hashlib.sha256(content).hexdigest()
    marks = marked(tree)
    words = "（此项由机器识读，尚未经人工核对）"
    assert set(marks) == {"p", "h1", "发布机构", "文号", "成文日期"}  # 文号 above the title and in the table
    assert all(mark == "机读" + words for mark in marks.values())
    assert tree.xpath('//*[contains(@class, "machine-read")]/span[@aria-hidden="true"]')
    assert tree.xpath('//p[@class="machine-note"]')
    return tree


def test_the_site_shows_page_images_and_marks_until_a_person_checks(tmp_path: Path) -> None:
    archive = scanned_archive(tmp_path / "archive")
    out = tmp_path / "site"
    build_site(archive, out)
    here = urls.document_page(READ.id)
    check_document_page((out / here).read_bytes(), here)
    for page, content in PAGES.items():  # the images are the archive's files, linked
        assert (out / urls.page_image(SCAN_SHA, page)).read_bytes() == content
    typed = parsed((out / urls.document_page(TYPED.id)).read_bytes())
    assert not typed.xpath('//*[contains(@class, "machine-read")]') and not typed.xpath('//aside[@class="scans"]')
    twin = (out / urls.twin(here)).read_text("utf-8")
    assert '"unreviewed":["doc_number","title","issuer","date_written"]' in twin

    edit(archive, READ.id, {"title": READ.title}, by="审核员")  # the machine read it right: checked
    accept(archive, READ.id, "date_written", by="审核员")
    build_site(archive, out)
    after = marked(parsed((out / here).read_bytes()))
    assert set(after) == {"p", "发布机构", "文号"}


def test_the_portal_shows_the_same_and_drops_a_mark_on_the_next_request(tmp_path: Path) -> None:
    archive = scanned_archive(tmp_path / "archive")
    rebuild_index(archive)
    here = urls.document_page(READ.id)
    with TestClient(create_app(archive.root)) as client:
        page = client.get(urls.url_path(here))
        assert page.status_code == 200
        check_document_page(page.content, here)
        for number, content in PAGES.items():
            image = client.get(urls.url_path(urls.page_image(SCAN_SHA, number)))
            assert image.status_code == 200 and image.content == content
        assert client.get(urls.url_path(urls.twin(here))).json()["unreviewed"] == [
            "doc_number",
            "title",
            "issuer",
            "date_written",
        ]
        edit(archive, READ.id, {"issuer": "福建省人民政府办公厅", "doc_number": READ.doc_number or ""}, by="审核员")
        after = marked(parsed(client.get(urls.url_path(here)).content))
        assert set(after) == {"h1", "成文日期"}
        accept(archive, READ.id, "date_written", by="审核员")
        edit(archive, READ.id, {"title": "福建省人民政府办公厅关于印发扫描识读试点方案的通知"}, by="审核员")
        final = parsed(client.get(urls.url_path(here)).content)
        assert marked(final) == {} and not final.xpath('//p[@class="machine-note"]')
        assert final.xpath('//aside[@class="scans"]//img')  # the images stay: they are the original


@pytest.mark.parametrize("confidence", [{"title": 0.5}, {"title": 0.999}])
def test_any_confidence_below_one_is_marked(confidence: dict[str, float]) -> None:
    assert unreviewed_fields(make_document(confidence=confidence, needs_review=())) == ("title",)
