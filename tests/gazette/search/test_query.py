from __future__ import annotations

import pytest

from gazette.exceptions import BadInputError
from gazette.search import SearchBackend
from gazette.search.plan import Bool, keyword_values, lower
from gazette.search.query import (
    And,
    DateRange,
    DocNumber,
    DocNumberPrefix,
    Filters,
    Keyword,
    Not,
    Or,
    Text,
    Word,
    highlight_strings,
    is_prefix_query,
    parse_query,
    with_filters,
)


def test_words_phrases_exclusion_and_or() -> None:
    # (a word alone might be a 机关代字: the index decides, see test_a_code_alone_or_with_a_year)
    assert parse_query("保税区") == DocNumberPrefix("保税区〔", Text("保税区"))
    assert parse_query("保税区 开放") == And((Text("保税区"), Text("开放")))
    assert parse_query('"阳光政务"') == Text("阳光政务", phrase=True)
    assert parse_query("“阳光政务”") == Text("阳光政务", phrase=True)
    assert parse_query("covid 19") == And((Word("covid"), Word("19")))
    assert parse_query('保税 -"试点方案"') == And((Text("保税"), Not(Text("试点方案", phrase=True))))
    assert parse_query("扶贫 OR 脱贫 攻坚") == And((Or((Text("扶贫"), Text("脱贫"))), Text("攻坚")))


def test_unquoted_punctuation_splits_terms() -> None:
    assert parse_query("保税区，开放") == And((Text("保税区"), Text("开放")))


@pytest.mark.parametrize(
    ("query", "node"),
    [
        ("机关:国务院", Keyword("issuer", "国务院")),
        ("issuer:国务院办公厅", Keyword("issuer", "国务院办公厅")),
        ("机关：国务院", Keyword("issuer", "国务院")),
        ("类型:通知", Keyword("doc_type", "通知")),
        ("type:意见", Keyword("doc_type", "意见")),
        ("年份:2018", DateRange(20180000, 20181231)),
        ("year:2016..2018", DateRange(20160000, 20181231)),
        ("日期:2016-01..2016-12", DateRange(20160101, 20161231)),
        ("date:2016-02", DateRange(20160201, 20160229)),
        ("日期:..2004-08-12", DateRange(None, 20040812)),
        ("日期:2018-12..", DateRange(20181201, None)),
        ("文号:国发[2019]3号", Keyword("doc_number", "国发〔2019〕3号")),
        ('docno:"国发 2019 3"', Keyword("doc_number", "国发〔2019〕3号")),
    ],
)
def test_field_filters(query: str, node: object) -> None:
    assert parse_query(query) == node


@pytest.mark.parametrize(
    "printed",
    [
        "粤办函[2016]629号",
        "粤办函（2016）629 号",
        "粤办函〔2016〕第629号",
        "粤办函 2016 629",
        "粤办函〔２０１６〕６２９号",
    ],
)
def test_a_doc_number_in_any_printed_form(printed: str) -> None:
    node = parse_query(printed)
    assert isinstance(node, DocNumber) and node.canonical == "粤办函〔2016〕629号"
    assert node.fallback is not None  # in case it only looked like a 文号


@pytest.mark.parametrize(
    ("query", "node"),
    [
        ("国办函", DocNumberPrefix("国办函〔", Text("国办函"))),
        ("國辦函", DocNumberPrefix("国办函〔", Text("国办函"))),
        ("国办函〔2006〕", DocNumberPrefix("国办函〔2006〕", And((Text("国办函"), Word("2006"))))),
        ("国办函（06）", DocNumberPrefix("国办函〔2006〕", And((Text("国办函"), Word("06"))))),
        ("国办函 年份:2004", And((DocNumberPrefix("国办函〔", Text("国办函")), DateRange(20040000, 20041231)))),
        ("-机关:国务院 国办函", And((DocNumberPrefix("国办函〔", Text("国办函")), Not(Keyword("issuer", "国务院"))))),
        # the field says a code is meant: no fallback to the words
        ("文号:国办函", DocNumberPrefix("国办函〔")),
        ("文号:国办函〔二〇〇六〕", DocNumberPrefix("国办函〔2006〕")),
        # a code-looking word beside other words, an operator or a quote is text
        ("国办函 气象", And((Text("国办函"), Text("气象")))),
        ("国办函 OR 机关:国务院", Or((Text("国办函"), Keyword("issuer", "国务院")))),
        ('"国办函"', Text("国办函", phrase=True)),
        ("-国办函", Not(Text("国办函"))),
        # never a code: one character, a leading word, a run too long
        ("法", Text("法")),
        ("通知", Text("通知")),
        ("关于印发国发", Text("关于印发国发")),
    ],
)
def test_a_code_alone_or_with_a_year(query: str, node: object) -> None:
    assert parse_query(query) == node


def test_a_prefix_query_reads_newest_first() -> None:
    assert is_prefix_query(DocNumberPrefix("国办函〔"))
    assert is_prefix_query(parse_query("文号:国办函 年份:2004"))
    assert not is_prefix_query(parse_query("国办函 气象"))
    assert not is_prefix_query(parse_query("机关:国务院"))


@pytest.mark.parametrize(
    ("query", "values"),
    [
        ("机关:广东省政府办公厅", ("广东省政府办公厅", "广东省人民政府办公厅")),
        ("机关:国办", ("国办", "国务院办", "国务院办公厅")),
        ("类型:函", ("函", "复函")),
        ("类型:複函", ("复函",)),
        ("类型:通知", ("通知",)),
    ],
)
def test_issuer_and_type_filters_stand_for_their_other_names(query: str, values: tuple[str, ...]) -> None:
    node = parse_query(query)
    assert isinstance(node, Keyword) and keyword_values(node) == values
    lowered = lower(node)
    terms = lowered.should if isinstance(lowered, Bool) else (lowered,)
    assert [term.text for term in terms] == list(values)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("query", "node"),
    [
        ("注:保税", And((Text("注"), Text("保税")))),
        ("通知：各地", And((Text("通知"), Text("各地")))),
        ("10:30", And((Word("10"), Word("30")))),
        ("http://www.gov.cn", And((Word("http"), Word("www"), Word("gov"), Word("cn")))),
        ('"title:国务院"', Text("title:国务院", phrase=True)),
    ],
)
def test_a_colon_not_after_a_latin_name_is_text(query: str, node: object) -> None:
    assert parse_query(query) == node


@pytest.mark.parametrize("query", ["title:国务院", 'Title:"国务院"', "保税 -author:张三", "ｔｉｔｌｅ：国务院"])
def test_an_unknown_field_names_itself_and_the_known_ones(query: str) -> None:
    with pytest.raises(BadInputError) as error:
        parse_query(query)
    assert "unknown field '" in str(error.value)
    assert "文号/docno, 机关/issuer, 类型/type, 年份/year, 日期/date" in str(error.value)


def test_and_and_not_are_operators() -> None:
    assert parse_query("扶贫 AND 脱贫") == parse_query("扶贫 脱贫")
    assert parse_query("NOT 通报 保税") == parse_query("-通报 保税")
    assert parse_query("扶贫 OR NOT 脱贫") == Or((Text("扶贫"), Not(Text("脱贫"))))
    assert parse_query("and not") == And((Word("and"), Word("not")))  # operators are upper case, like OR


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("", "empty query"),
        ("   ", "empty query"),
        ('"阳光政务', "unbalanced quote"),
        ('保税 "区', "unbalanced quote"),
        ('""', "no letters or digits"),
        ("，。", "no letters or digits"),
        ("，。", "empty query"),
        ("AND OR NOT", "empty query"),
        ("OR", "empty query"),
        ("- ！", "empty query"),
        ("保税 NOT", "NOT must be followed"),
        ("OR 保税", "OR must stand"),
        ("保税 OR", "OR must stand"),
        ("保税 - 区", "'-'"),
        ("机关:", "needs a value"),
        ("日期:2016-13", "month 13"),
        ("日期:2016-02-30", "no day 30"),
        ("日期:2018..2016", "ends before it starts"),
        ("日期:yesterday", "is not a date"),
        ("日期:..", "neither start nor end"),
        ("年份:2016-05", "年份/year takes a year"),
    ],
)
def test_malformed_queries_say_why_in_one_line(query: str, says: str) -> None:
    with pytest.raises(BadInputError) as error:
        parse_query(query)
    assert says in str(error.value)
    assert "\n" not in str(error.value)


def test_option_filters_join_the_query() -> None:
    node = with_filters(Text("保税"), Filters(issuer="国务院", doc_type="通知", date_from="2018", date_to="2018-06"))
    assert node == And(
        (Text("保税"), Keyword("issuer", "国务院"), Keyword("doc_type", "通知"), DateRange(20180101, 20180630))
    )
    assert with_filters(Text("保税"), Filters()) == Text("保税")


def test_highlight_strings_leave_out_exclusions() -> None:
    assert highlight_strings(parse_query('保税区 "阳光 政务" -通知 wto')) == [
        ("保税区", True),
        ("阳光政务", False),
        ("wto", False),
    ]


def test_a_query_of_exclusions_only_finds_everything_else_on_every_backend(built: SearchBackend) -> None:
    def ids(query: str) -> set[str]:
        return {hit.id for hit in built.search(query, limit=100, facets=False).hits}

    everything = ids("-qzxjv")  # excludes nothing
    with_it = ids("国务院")
    assert with_it and ids("-国务院") == everything - with_it == ids("NOT 国务院")


@pytest.mark.parametrize(("query", "says"), [("title:国务院", "unknown field"), ("AND OR NOT", "empty query")])
def test_unknown_fields_and_empty_queries_fail_on_every_backend(built: SearchBackend, query: str, says: str) -> None:
    with pytest.raises(BadInputError, match=says):
        built.search(query)
