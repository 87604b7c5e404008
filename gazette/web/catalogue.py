"""The proactive-disclosure catalogue (主动公开基本目录): a table per issuer and year, and CSV.

Columns as government sites print them: 索引号, 名称, 文号, 发布机构, 成文日期, 发布日期,
公开属性, 主题词. A joint document is listed under each of its issuers; the whole
catalogue's CSV has one row per public document.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from gazette.model import Document
from gazette.web import urls
from gazette.web.pages import Page, SiteData, document_year
from gazette.web.public import disclosure_label

COLUMNS = ("索引号", "名称", "文号", "发布机构", "成文日期", "发布日期", "公开属性", "主题词", "网址")


def row(doc: Document, data: SiteData) -> dict[str, str]:
    """One document's catalogue row, column name → text."""
    return {
        "索引号": doc.index_number or "",
        "名称": doc.title,
        "文号": doc.doc_number or "",
        "发布机构": "、".join(doc.issuer),
        "成文日期": doc.date_written or "",
        "发布日期": doc.date_published or "",
        "公开属性": disclosure_label(doc),
        "主题词": " ".join(doc.subject_words),
        "网址": data.url(urls.document_page(doc.id)),
    }


def csv_bytes(docs: Iterable[Document], data: SiteData) -> bytes:
    """RFC 4180 CSV (CRLF) in UTF-8 with a byte-order mark, which spreadsheet programs need to read Chinese."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for doc in docs:
        writer.writerow(row(doc, data))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def by_issuer_and_year(data: SiteData) -> dict[str, dict[str, list[Document]]]:
    """Issuer → year → its documents, newest first; years newest first, undated last."""
    grouped: dict[str, dict[str, list[Document]]] = {}
    for doc in data.documents.values():
        for issuer in dict.fromkeys(doc.issuer) or ("（未注明发布机构）",):
            grouped.setdefault(issuer, {}).setdefault(document_year(doc), []).append(doc)
    return {
        issuer: dict(sorted(years.items(), key=lambda item: (item[0] != urls.UNDATED, item[0]), reverse=True))
        for issuer, years in sorted(grouped.items())
    }


def year_label(year: str) -> str:
    return "日期不详" if year == urls.UNDATED else f"{year}年"


def catalogue_files(data: SiteData) -> tuple[list[Page], dict[str, bytes]]:
    """The catalogue's pages and its CSV files (site path → bytes)."""
    grouped = by_issuer_and_year(data)
    pages: list[Page] = []
    files = {urls.CATALOGUE_CSV: csv_bytes(data.documents.values(), data)}
    summary: list[dict[str, Any]] = []
    for issuer, years in grouped.items():
        year_entries = []
        for year, docs in years.items():
            files[urls.catalogue_year_csv(issuer, year)] = csv_bytes(docs, data)
            rows = [row(doc, data) for doc in docs]
            twin: dict[str, object] = {
                "issuer": issuer,
                "year": year,
                "columns": list(COLUMNS),
                "rows": rows,
                "csv": data.url(urls.catalogue_year_csv(issuer, year)),
            }
            context: dict[str, object] = {"issuer": issuer, "year": year, "docs": docs, "label": year_label(year)}
            pages.append(Page(urls.catalogue_year(issuer, year), "catalogue_year.html", context, twin))
            year_entries.append(
                {
                    "year": year,
                    "documents": len(docs),
                    "url": data.url(urls.catalogue_year(issuer, year)),
                    "csv": data.url(urls.catalogue_year_csv(issuer, year)),
                }
            )
        twin = {"issuer": issuer, "years": year_entries, "feed": data.url(urls.feed_issuer(issuer))}
        context = {"issuer": issuer, "years": years, "year_label": year_label}
        pages.append(Page(urls.catalogue_issuer(issuer), "catalogue_issuer.html", context, twin))
        summary.append({"issuer": issuer, "url": data.url(urls.catalogue_issuer(issuer)), "years": year_entries})
    twin = {
        "issuers": summary,
        "csv": data.url(urls.CATALOGUE_CSV),
        "columns": list(COLUMNS),
        "documents": len(data.documents),
    }
    pages.append(Page(urls.CATALOGUE, "catalogue.html", {"grouped": grouped, "year_label": year_label}, twin))
    return pages, files
