"""Checks every built site must pass, shared by the fast tests and the corpus and demo tests."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import html5lib
from lxml import html as lxml_html

from gazette.model import Document
from gazette.web import urls
from gazette.web.public import is_public_document
from tests.gazette.test_cli import CONTRACT_KEYS


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def parse_strict(path: Path) -> None:
    """html5lib's strict parser raises on any parse error."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(path.read_bytes(), likely_encoding="utf-8")


def local_links(page: Path) -> list[str]:
    tree = lxml_html.fromstring(page.read_bytes())
    found = [e.get("href") for e in tree.iter("a", "link")] + [e.get("src") for e in tree.iter("script", "img")]
    return [link for link in found if link and not urlsplit(link).scheme and not link.startswith("#")]


def check_pages(out: Path) -> int:
    """Every page parses without error, is Chinese, names its twin, and every relative link resolves."""
    pages = html_pages(out)
    for page in pages:
        parse_strict(page)
        text = page.read_text("utf-8")
        assert text.startswith('<!DOCTYPE html>\n<html lang="zh-CN">'), page
        assert '<meta name="viewport"' in text and "<title>" in text, page
        assert (page.parent / urls.TWIN).is_file(), page
        json.loads((page.parent / urls.TWIN).read_text("utf-8"))
        for link in local_links(page):
            target = posixpath.normpath(posixpath.join(page.parent.as_posix(), unquote(urlsplit(link).path)))
            assert Path(target).exists(), f"{page}: {link} leads nowhere"
    return len(pages)


def json_ld(page: Path) -> dict:
    tree = lxml_html.fromstring(page.read_bytes())
    (script,) = tree.xpath('//script[@type="application/ld+json"]')
    return json.loads(script.text)


def check_document_pages(out: Path, docs: list[Document]) -> None:
    for doc in docs:
        page = out / urls.document_page(doc.id)
        item = json_ld(page)
        assert item["@type"] == "Legislation" and item["name"] == doc.title and item["inLanguage"] == "zh-CN"
        if doc.doc_number:
            assert item["legislationIdentifier"] == doc.doc_number
        twin = json.loads((page.parent / urls.TWIN).read_text("utf-8"))
        assert CONTRACT_KEYS <= set(twin) and twin["id"] == doc.id


def check_feeds(out: Path, docs: list[Document]) -> int:
    """Every feed parses as Atom, newest first; the whole archive's holds the newest documents."""
    feeds = sorted((out / "feeds").rglob("*.xml"))
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == "atom10"
        dates = [entry.updated for entry in feed.entries]
        assert dates == sorted(dates, reverse=True), path
        for entry in feed.entries:
            assert any("documents/" in link.href for link in entry.links)
    dated = [doc for doc in docs if doc.date_published or doc.date_written]
    whole = feedparser.parse((out / urls.FEED_ALL).read_bytes())
    assert len(whole.entries) == min(len(dated), 50)
    assert {entry.title for entry in whole.entries} <= {doc.title for doc in dated}
    return len(feeds)


def catalogue_rows(out: Path) -> list[dict[str, str]]:
    text = (out / urls.CATALOGUE_CSV).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def jsonl(out: Path, path: str = urls.DATA_JSONL) -> list[dict]:
    return [json.loads(line) for line in (out / path).read_text("utf-8").splitlines()]


def check_open_data(out: Path, listed: list[dict]) -> None:
    """The JSON Lines round-trip to `gazette list --json`'s public documents; the ZIP holds their XML."""
    public_ids = {doc["id"] for doc in listed}
    records = jsonl(out)
    contract = sorted(({k: d[k] for k in CONTRACT_KEYS} for d in listed), key=lambda d: d["id"])
    assert [{k: r[k] for k in CONTRACT_KEYS} for r in records] == contract
    with zipfile.ZipFile(out / urls.DATA_AKN) as archive:
        assert len(archive.namelist()) == len(public_ids)
        assert sorted(archive.namelist()) == sorted(r["akn"] for r in records)
    sums = dict(reversed(line.split("  ", 1)) for line in (out / urls.DATA_SUMS).read_text().splitlines())

    for name, sha in sums.items():
        assert hashlib.sha256((out / "data" / name).read_bytes()).hexdigest() == sha


def all_text(out: Path) -> dict[str, str]:
    """Every output file as text (ZIP members unpacked, names included), for searching."""
    texts: dict[str, str] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        data = path.read_bytes()
        texts[rel] = rel + "\n" + data.decode("utf-8", "replace")
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    texts[f"{rel}!{name}"] = name + "\n" + archive.read(name).decode("utf-8", "replace")
    return texts


def mentions(texts: dict[str, str], needle: str) -> list[str]:
    """Files naming ``needle`` as text, or percent-encoded (in a URL)."""
    from urllib.parse import quote

    forms = {needle, quote(needle, safe=""), json.dumps(needle)[1:-1]}
    return [rel for rel, text in texts.items() if any(form in text for form in forms)]


def public(docs: list[Document]) -> list[Document]:
    return [doc for doc in docs if is_public_document(doc)]
