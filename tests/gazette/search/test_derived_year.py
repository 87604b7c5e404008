"""A document whose 成文日期 is unreadable keeps the year of its 文号 for filters and facets."""

from __future__ import annotations

from gazette.akn import document_from_xml, document_to_xml
from gazette.model import document_to_json
from gazette.search import Filters, SearchBackend
from gazette.web.pages import document_year

from .conftest import synthetic

DATED = synthetic("dated", "关于海关统计的通知", "统计工作按季度报送。", date_written="1997-03-02")
# 成文日期 lost under a seal: only the 文号 says the year.
SEALED = synthetic(
    "国办发〔1996〕5号",
    "关于加强海关统计的通知",
    "统计工作按月报送。",
    doc_number="国办发〔1996〕5号",
    date_written=None,
)
UNDATED = synthetic("no-year", "关于海关工作的通知", "工作按年报送。", date_written=None)


def test_the_year_comes_from_the_doc_number_and_is_marked_derived() -> None:
    assert (SEALED.year, SEALED.year_derived) == (1996, True)
    assert (DATED.year, DATED.year_derived) == (1997, False)
    assert (UNDATED.year, UNDATED.year_derived) == (None, False)
    # A decree's number carries no year: nothing is invented.
    decree = synthetic("令", "规定", "正文。", doc_number="广东省人民政府令第227号", date_written=None)
    assert decree.year is None


def test_the_derived_year_is_in_the_json_and_the_xml_but_never_as_the_date_written() -> None:
    data = document_to_json(SEALED)
    assert (data["year"], data["year_derived"], data["date_written"]) == (1996, True, None)
    xml = document_to_xml(SEALED).decode("utf-8")
    assert '<gz:year value="1996" derivedFrom="docNumber"/>' in xml
    assert "成文日期" not in xml and 'name="date"' not in xml
    back = document_from_xml(document_to_xml(SEALED))
    assert back.date_written is None and back.year_derived
    assert "gz:year" not in document_to_xml(DATED).decode("utf-8")


def test_a_year_filter_finds_the_derived_year_and_a_date_filter_does_not(fresh: SearchBackend) -> None:
    fresh.rebuild([DATED, SEALED, UNDATED])
    found = fresh.search("海关", Filters(), limit=10)
    assert found.facets["year"] == {"1996": 1, "1997": 1}
    hits = {hit.id: hit for hit in fresh.search("海关 年份:1996", Filters(), limit=10).hits}
    assert list(hits) == ["国办发〔1996〕5号"] and hits["国办发〔1996〕5号"].date_written is None
    assert [hit.id for hit in fresh.search("海关 年份:1995..1996", Filters(), limit=10).hits] == ["国办发〔1996〕5号"]
    # Its day is unknown: a filter on days does not claim it.
    assert fresh.search("海关 日期:1996-01..1996-12", Filters(), limit=10).hits == ()


def test_the_web_pages_group_it_under_its_year() -> None:
    assert [document_year(doc) for doc in (DATED, SEALED, UNDATED)] == ["1997", "1996", "undated"]
