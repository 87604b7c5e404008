"""`gazette site` on the samples and documents that test every rule: pages, machine data, feeds,
catalogue, open data, what is never public, and incremental, reproducible builds."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import html as lxml_html

from gazette.archive import Archive
from gazette.cli import run
from gazette.exceptions import BadInputError
from gazette.web import urls
from gazette.web.site import MANIFEST, build_from_documents, build_site
from tests.gazette.web import checks
from tests.gazette.web.conftest import (
    HIDDEN,
    INTERPRETATION_TITLE,
    LOCAL_ROOT,
    NOT_PUBLIC,
    OWN_SOURCE,
    SCRIPT_TITLE,
    SHARED_SOURCE,
    Tree,
    make_site_archive,
)

BASE = "https://gazette.example.gov.cn/"


def page(out: Path, path: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((out / path).read_bytes())


def listed(archive: Archive, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert run(["list", "--json", "--archive", str(archive.root)]) == 0
    return [doc for doc in json.loads(capsys.readouterr().out) if doc["disclosure"] in (None, "主动公开")]


def test_every_page_parses_and_every_link_resolves(site: Path) -> None:
    assert checks.check_pages(site) == 30


def test_document_pages_carry_dublin_core_and_json_ld(site: Path, site_archive: Archive) -> None:
    docs = checks.public(list(site_archive.documents()))
    checks.check_document_pages(site, docs)
    item = checks.json_ld(site / urls.document_page("国发〔2019〕3号"))
    assert item["legislationPassedBy"] == [{"@type": "GovernmentOrganization", "name": "国务院"}]
    assert item["legislationDate"] == "2019-01-12"
    assert item["isPartOf"]["@id"] == BASE + "issues/%E6%94%BF%E5%BA%9C%E5%85%AC%E6%8A%A5%E6%A0%B7%E5%88%8A-2019-1/"
    (pdf,) = item["encoding"]
    assert pdf["contentUrl"].endswith(".pdf") and len(pdf["sha256"]) == 64
    tree = page(site, urls.document_page("国发〔2019〕3号"))
    meta = {(m.get("name"), m.get("content")) for m in tree.iter("meta")}
    assert {("DC.identifier", "国发〔2019〕3号"), ("DC.creator", "国务院"), ("DC.language", "zh-CN")} <= meta


def test_the_body_is_semantic_html(site: Path) -> None:
    tree = page(site, urls.document_page("测政发〔2020〕1号"))
    text = tree.xpath('//section[@class="text"]')[0]
    assert [(h.tag, h.text) for h in text.xpath(".//h2|.//h3|.//h4|.//h5")][1:] == [
        ("h2", "一、总体要求"),
        ("h3", "（一）基本原则"),
        ("h4", "1. 细则"),
        ("h5", "（1）条款"),
    ]
    assert text.xpath(".//ul/li/text()") == ["1. 第一项", "2. 第二项"]
    assert text.xpath(".//table/thead/tr/th/text()") == ["地区", "数量"]
    assert text.xpath(".//table/tbody/tr/td/text()") == ["甲", "1"]
    assert text.xpath('.//p[@class="attachment"]/text()') == ["附件：统计表"]
    assert text.xpath('.//div[@class="signature"]/p/text()') == ["测试市人民政府"]


def test_a_hostile_title_is_text(site: Path) -> None:
    path = site / urls.document_page("2020-01-05-hostile")
    raw = path.read_text("utf-8")
    assert "<script>alert" not in raw and "<b>机关" not in raw
    assert page(site, urls.document_page("2020-01-05-hostile")).xpath("//h1/text()") == [SCRIPT_TITLE]
    assert checks.json_ld(path)["name"] == SCRIPT_TITLE
    assert "&lt;script&gt;alert" in (site / urls.FEED_ALL).read_text("utf-8")
    assert "<script>" not in (site / urls.FEED_ALL).read_text("utf-8")


def test_pdfs_originals_and_page_images_are_linked_with_their_sha256(site: Path, site_archive: Archive) -> None:
    issue = page(site, urls.issue_page("政府公报样刊-2019-1"))
    assert issue.xpath('//a[@href="issue.pdf"]') and len(issue.xpath("//code/text()")[0]) == 64
    pdf = site / urls.issue_pdf("政府公报样刊-2019-1")
    assert os.path.samefile(pdf, site_archive.data / "published" / "政府公报样刊-2019-1" / "issue.pdf")  # linked
    # an issue holding a 不予公开 document offers no issue.pdf, but the public documents' own PDFs
    assert not (site / urls.issue_pdf("测试公报-2020-2")).exists()
    assert (site / urls.document_pdf("测试公报-2020-2", "测政发〔2020〕1号")).exists()
    assert not (site / urls.document_pdf("测试公报-2020-2", NOT_PUBLIC.id)).exists()
    # an original shared with a 不予公开 document is named, never linked; its own page is
    shared = (site / urls.document_page("测政发〔2020〕1号")).read_text("utf-8")
    assert SHARED_SOURCE in shared and "合订本.pdf" in shared and "originals/" + SHARED_SOURCE + "/%E5" not in shared
    assert (site / urls.page_image(SHARED_SOURCE, 1)).exists() and not (
        site / urls.page_image(SHARED_SOURCE, 2)
    ).exists()
    own = (site / urls.document_page("2020-01-05-hostile")).read_text("utf-8")
    assert f"../../originals/{OWN_SOURCE}/%E6%9D%A5%E6%96%87.pdf" in own


def test_no_local_path_in_any_output(site: Path, site_archive: Archive) -> None:
    texts = checks.all_text(site)
    assert checks.mentions(texts, LOCAL_ROOT) == []
    assert checks.mentions(texts, str(site_archive.root)) == []


def test_never_public(site: Path) -> None:
    texts = checks.all_text(site)
    for doc in HIDDEN:
        for needle in (doc.id, doc.title, doc.index_number):
            assert checks.mentions(texts, needle) == [], needle


def test_interpretations_link_both_ways(site: Path) -> None:
    policy = page(site, urls.document_page("国发〔2019〕3号"))
    reading = page(site, urls.document_page("2019-01-26-interpretation"))
    assert policy.xpath('//section[@class="related"]//a/text()') == [INTERPRETATION_TITLE]
    assert reading.xpath('//section[@class="related"]//a/text()') == [
        "国务院关于促进综合保税区高水平开放高质量发展的若干意见"
    ]
    twin = json.loads((site / urls.twin(urls.document_page("国发〔2019〕3号"))).read_text("utf-8"))
    assert twin["interpreted_by"] == ["2019-01-26-interpretation"]


def test_feeds(site: Path, site_archive: Archive) -> None:
    docs = checks.public(list(site_archive.documents()))
    assert checks.check_feeds(site, docs) == 1 + 2 + 5
    import feedparser

    feed = feedparser.parse((site / urls.feed_gazette("政府公报样刊")).read_bytes())
    assert len(feed.entries) == 6 and feed.entries[0].title == "国务院关于促进综合保税区高水平开放高质量发展的若干意见"
    links = {link.rel: link.href for link in feed.entries[0].links}
    assert links["alternate"] == BASE + "documents/%E5%9B%BD%E5%8F%91%E3%80%942019%E3%80%953%E5%8F%B7/"
    assert links["enclosure"].endswith("/documents/%E5%9B%BD%E5%8F%91%E3%80%942019%E3%80%953%E5%8F%B7.pdf")
    assert feed.feed.updated == "2019-01-25T00:00:00+08:00"


def test_catalogue(site: Path, site_archive: Archive) -> None:
    docs = checks.public(list(site_archive.documents()))
    rows = checks.catalogue_rows(site)
    assert len(rows) == len(docs) == 9
    assert list(rows[0]) == ["索引号", "名称", "文号", "发布机构", "成文日期", "发布日期", "公开属性", "主题词", "网址"]
    gd = next(r for r in rows if r["文号"] == "粤办函〔2016〕629号")
    assert gd["索引号"] == "006939748/2016-01043" and gd["公开属性"] in ("主动公开",)
    table = page(site, urls.catalogue_year("国务院办公厅", "2018"))
    assert table.xpath("//table[contains(@class, 'sortable')]/thead//th/text()")[:3] == ["索引号", "名称", "文号"]
    assert len(table.xpath("//table/tbody/tr")) == 3
    assert (site / urls.catalogue_year_csv("国务院办公厅", "2018")).exists()


def test_open_data_round_trips_to_gazette_list(
    site: Path, site_archive: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    checks.check_open_data(site, listed(site_archive, capsys))
    assert {r["id"] for r in checks.jsonl(site, urls.data_year_jsonl("2018"))} == {
        "国函〔2018〕145号",
        "国办函〔1996〕14号",
        "国办函〔2004〕57号",
        "国办发〔2018〕109号",
    }
    assert "`documents.jsonl`" in (site / urls.DATA_README).read_text("utf-8")


def test_sitemap_lists_every_page(site: Path) -> None:
    tree = lxml_html.fromstring((site / urls.SITEMAP).read_bytes())
    locations = set(tree.xpath("//loc/text()"))
    assert len(locations) == len(checks.html_pages(site))
    assert BASE + "documents/%E5%9B%BD%E5%8F%91%E3%80%942019%E3%80%953%E5%8F%B7/" in locations


def test_building_twice_gives_the_same_bytes(site_archive: Archive, site: Path, tmp_path: Path) -> None:
    again = build_site(site_archive, site, BASE)
    assert again.written == [] and again.removed == [] and again.unchanged == again.files
    build_site(site_archive, tmp_path / "other", BASE)
    assert Tree.of(tmp_path / "other") == Tree.of(site)


def test_a_changed_title_rewrites_only_the_pages_that_show_it(tmp_path: Path) -> None:
    archive = make_site_archive(tmp_path / "archive")
    out = tmp_path / "site"
    build_site(archive, out)
    doc = archive.get_document("国办函〔2004〕57号")
    archive.put_document(replace(doc, title=doc.title + "（修订）"))
    report = build_site(archive, out)
    document = "documents/国办函〔2004〕57号/"
    issue = "issues/政府公报样刊-2019-1/"
    catalogue = "catalogue/国务院办公厅/2018/"
    assert sorted(report.written) == sorted(
        [
            document + "index.html",
            document + "index.json",
            document + "akn.xml",
            "index.html",
            "index.json",
            issue + "index.html",
            issue + "index.json",
            catalogue + "index.html",
            catalogue + "index.json",
            catalogue + "catalogue.csv",
            urls.CATALOGUE_CSV,
            urls.FEED_ALL,
            urls.feed_gazette("政府公报样刊"),
            urls.feed_issuer("国务院办公厅"),
            urls.DATA_JSONL,
            urls.DATA_AKN,
            urls.data_year_jsonl("2018"),
            urls.data_year_akn("2018"),
            urls.DATA_SUMS,
            urls.DATA,
            urls.twin(urls.DATA),
        ]
    )
    assert report.removed == []


def test_a_withdrawal_removes_what_the_site_had_written(tmp_path: Path) -> None:
    archive = make_site_archive(tmp_path / "archive")
    out = tmp_path / "site"
    (out / "notes").mkdir(parents=True)
    (out / "notes" / "readme.txt").write_text("the web team's own file")
    build_site(archive, out)
    doc = archive.get_document("国办函〔2004〕57号")
    withdrawn = [replace(d, withdrawn="误发") if d.id == doc.id else d for d in archive.documents()]
    report = build_from_documents(archive, withdrawn, out)
    assert {"documents/国办函〔2004〕57号/index.html", "documents/国办函〔2004〕57号/akn.xml"} <= set(report.removed)
    assert not (out / "documents" / "国办函〔2004〕57号").exists()
    assert checks.mentions(checks.all_text(out), doc.title) == []
    assert (out / "notes" / "readme.txt").read_text() == "the web team's own file"
    # 不予公开 set in the archive does the same
    other = archive.get_document("国办发〔2018〕109号")
    archive.put_document(replace(other, disclosure="不予公开"))
    report = build_site(archive, out)
    assert "documents/国办发〔2018〕109号/index.html" in report.removed
    assert checks.mentions(checks.all_text(out), other.title) == []


def test_legal_status_is_shown_where_known(tmp_path: Path) -> None:
    archive = make_site_archive(tmp_path / "archive")
    docs = [replace(d, status="已废止") if d.id == "国办函〔1996〕14号" else d for d in archive.documents()]
    build_from_documents(archive, docs, tmp_path / "site", BASE)
    tree = page(tmp_path / "site", urls.document_page("国办函〔1996〕14号"))
    assert tree.xpath('//p[contains(@class, "status")]/strong/text()') == ["已废止"]
    assert (
        checks.json_ld(tmp_path / "site" / urls.document_page("国办函〔1996〕14号"))["legislationLegalForce"]
        == "https://schema.org/NotInForce"
    )


def test_files_the_site_did_not_write_are_never_replaced_or_removed(tmp_path: Path) -> None:
    archive = make_site_archive(tmp_path / "archive")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("someone else's home page")
    with pytest.raises(BadInputError, match="did not write"):
        build_site(archive, out)
    assert (out / "index.html").read_text() == "someone else's home page"
    assert not (out / MANIFEST).exists()
    (out / "index.html").unlink()
    build_site(archive, out)
    changed = out / urls.document_page("国办发〔2018〕109号")
    changed.write_text("edited by hand")
    archive.put_document(replace(archive.get_document("国办发〔2018〕109号"), disclosure="依申请公开"))
    report = build_site(archive, out)
    assert urls.document_page("国办发〔2018〕109号") in report.kept and changed.exists()


def test_the_site_never_goes_into_the_archive(site_archive: Archive) -> None:
    with pytest.raises(BadInputError, match="inside the archive"):
        build_site(site_archive, site_archive.root / "site")


def test_the_command(site_archive: Archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert run(["site", "--out", str(out), "--archive", str(site_archive.root), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == 9 and report["written"] == report["files"] > 100
    assert run(["site", "--out", str(out), "--archive", str(site_archive.root)]) == 0
    assert "0 written" in capsys.readouterr().out
    assert run(["site", "--out", str(out), "--archive", str(site_archive.root), "--base-url", "ftp://x"]) == 3
    assert "--base-url" in capsys.readouterr().err
