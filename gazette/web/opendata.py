"""Open data (政府数据开放): the public archive as JSON Lines and as a ZIP of Akoma Ntoso XML.

``data/documents.jsonl`` and ``data/akn.zip`` hold every public document, and
``data/<year>/`` the same per year (发布日期, else 成文日期; ``undated`` for neither);
``data/SHA256SUMS`` has each file's SHA-256 (``sha256sum -c`` reads it) and
``data/README.md`` the fields. A JSON line is the command line's ``--json`` object (the
keys DESIGN.md fixes) with the page's URL, the file's name in the ZIP and the text. The
XML is the archive's own file less what is not public: the input's local path in
provenance and the reasons of review flags (which may name other documents).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from lxml import etree

from gazette.akn.schema import parse_xml
from gazette.akn.vocab import gz, with_current_namespace
from gazette.model import Document, document_to_json
from gazette.web import urls
from gazette.web.pages import Page, SiteData, document_date, document_year
from gazette.web.parallel import MIN_ITEMS, parallel_map
from gazette.web.public import legal_status

#: A ZIP member's time when a document has no date, and the earliest a ZIP can hold.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FIELDS = """\
# 开放数据 · Open data

Every public document of the archive (主动公开, or printed in a gazette with no
公开属性); documents marked 依申请公开 or 不予公开, and withdrawn ones, are not here.

| file | what |
|---|---|
| `documents.jsonl` | one JSON object per line, one line per document, sorted by `id` |
| `akn.zip` | `documents/<id>.xml`: each document as Akoma Ntoso 3.0 XML (OASIS LegalDocML) |
| `<year>/documents.jsonl`, `<year>/akn.zip` | the same for the documents of one year (发布日期, else 成文日期; `undated` when neither is known) |
| `SHA256SUMS` | the SHA-256 of every file here (`sha256sum -c SHA256SUMS`) |

## Fields of `documents.jsonl` (UTF-8)

| field | meaning |
|---|---|
| `id` | the document's id: its canonical 文号, or its date and a hash of its title |
| `doc_number` | 文号, canonical (`粤办函〔2016〕629号`); null when it has none |
| `doc_number_printed` | 文号 as the source printed it |
| `title` | 标题 |
| `issuer` | 发文机关, a list (joint documents have several) |
| `doc_type` | 文种 (通知, 意见, 批复 …) |
| `date_written` | 成文日期, ISO 8601 (`2016-12-12`) or null |
| `date_published` | 发布日期, ISO 8601 or null |
| `index_number` | 索引号 |
| `category` | 分类 |
| `subject_words` | 主题词, a list |
| `recipients` | 主送机关 |
| `disclosure` | 公开属性 as recorded: 主动公开, or null (printed in a gazette) |
| `gazette` | the gazette that printed it: `name`, `year`, `issue` (第N期), `total` (总第N期), or null |
| `pages` | the pages of its source it was read from |
| `source` | its original: `file` (the file name only), `sha256`, `pages` |
| `confidence` | per field, 0–1, how sure the reading was |
| `needs_review` | fields a person has yet to check |
| `legal_status` | 有效, 已修改, 已废止, or null when not known |
| `interprets` | ids of the documents this one interprets (政策解读) |
| `url` | its page on this site |
| `akn` | its XML's name in `akn.zip` |
| `text` | the body as plain text, one paragraph a line |

The first fields are those of `gazette list --json` and `gazette show --json`.
"""


def public_akn(stored: bytes) -> bytes:
    """The archive's XML of a document less what is not public (the input's local path, review reasons)."""
    root = parse_xml(with_current_namespace(stored))
    for element in root.iter(gz("provenance")):
        if "input" in element.attrib:
            del element.attrib["input"]
    for element in root.iter(gz("review")):
        element.set("reason", "")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def akn_member(doc: Document) -> str:
    return f"documents/{urls.segment(doc.id)}.xml"


def jsonl_record(doc: Document, data: SiteData) -> dict[str, Any]:
    return document_to_json(doc) | {
        "legal_status": legal_status(doc),
        "interprets": list(data.interpretations.interprets.get(doc.id, ())),
        "url": data.url(urls.document_page(doc.id)),
        "akn": akn_member(doc),
        "text": doc.text,
    }


def jsonl_line(doc: Document, data: SiteData) -> bytes:
    return (json.dumps(jsonl_record(doc, data), ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _zip_time(doc: Document) -> tuple[int, int, int, int, int, int]:
    date = document_date(doc)
    if len(date) == 10 and date[:4].isdigit() and int(date[:4]) >= _ZIP_EPOCH[0]:
        return (int(date[:4]), int(date[5:7]), int(date[8:10]), 0, 0, 0)
    return _ZIP_EPOCH


def zip_bytes(docs: Iterable[Document], akn_of: Callable[[Document], bytes]) -> bytes:
    """A ZIP of each document's public XML, the same bytes for the same documents: members sorted,
    each dated by its document, no extra fields."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for doc in sorted(docs, key=akn_member):
            info = zipfile.ZipInfo(akn_member(doc), date_time=_zip_time(doc))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, akn_of(doc), compresslevel=6)
    return buffer.getvalue()


def opendata_files(data: SiteData, akn_of: Callable[[Document], bytes]) -> tuple[list[Page], dict[str, bytes]]:
    """The open-data files (site path → bytes) and the page that lists them."""
    docs = sorted(data.documents.values(), key=lambda d: d.id)
    years: dict[str, list[Document]] = {}
    for doc in docs:
        years.setdefault(document_year(doc), []).append(doc)
    lines = {doc.id: jsonl_line(doc, data) for doc in docs}  # each made once, for the whole and its year
    files: dict[str, bytes] = {
        urls.DATA_JSONL: b"".join(lines[doc.id] for doc in docs),
        urls.DATA_README: FIELDS.encode("utf-8"),
    }
    zips = [(urls.DATA_AKN, docs), *((urls.data_year_akn(year), in_year) for year, in_year in sorted(years.items()))]
    # Few, heavy jobs: in parallel when the archive is large enough for a pool to pay.
    min_items = 2 if len(docs) >= MIN_ITEMS else len(zips) + 1
    made = parallel_map(lambda job: zip_bytes(job[1], akn_of), zips, min_items=min_items)
    files.update((path, content) for (path, _), content in zip(zips, made, strict=True))
    for year, in_year in sorted(years.items()):
        files[urls.data_year_jsonl(year)] = b"".join(lines[doc.id] for doc in in_year)
    sums = {path: hashlib.sha256(content).hexdigest() for path, content in sorted(files.items())}
    listing = "".join(f"{sha}  {path.removeprefix('data/')}\n" for path, sha in sums.items())
    files[urls.DATA_SUMS] = listing.encode("utf-8")
    entries = [_entry(path, files[path], sums[path], data, years) for path in sums]
    page = Page(
        urls.DATA,
        "data.html",
        {"entries": entries},
        {
            "documents": len(docs),
            "files": [{k: v for k, v in e.items() if k != "path"} for e in entries],
            "sha256sums": data.url(urls.DATA_SUMS),
        },
    )
    return [page], files


def _entry(path: str, content: bytes, sha: str, data: SiteData, years: Mapping[str, list[Document]]) -> dict[str, Any]:
    name = path.removeprefix("data/")
    year = name.split("/")[0] if "/" in name else None
    count = len(years[year]) if year else sum(len(v) for v in years.values())
    return {
        "path": path,
        "name": name,
        "url": data.url(path),
        "bytes": len(content),
        "sha256": sha,
        "year": year,
        "documents": None if name == "README.md" else count,
    }
