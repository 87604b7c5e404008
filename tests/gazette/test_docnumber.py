"""Tests of gazette.docnumber: parsing 文号 as printed, finding them in text, the issuer-code table."""

from __future__ import annotations

import functools
import re
from importlib import resources

import pytest

from gazette.docnumber import (
    DocNumber,
    DocNumberPrefix,
    find_doc_numbers,
    full_year,
    issuer_for_code,
    jurisdiction_for_code,
    parse_doc_number,
    parse_doc_number_prefix,
    year_value,
)
from gazette.numerals import CHINESE_ZEROS
from gazette.simplified import t2s_table
from samples.corpus import corpus_file, load_records

STANDARD_FORM = re.compile(r"^[\u4e00-\u9fff]+〔\d{4}〕[1-9]\d*号$")
DECREE_FORM = re.compile(r"^[\u4e00-\u9fff]+令(?:\d{4}年)?第[1-9]\d*号$")
ANNOUNCEMENT_FORM = re.compile(r"^[\u4e00-\u9fff]*公告\d{4}年第[1-9]\d*号$")
FORMS = {"standard": STANDARD_FORM, "decree": DECREE_FORM, "announcement": ANNOUNCEMENT_FORM}

#: Printed 文号 in docnumbers.jsonl known not to parse to a correct canonical form.
#: None at present; add one here with the reason when a source misprint cannot be read.
KNOWN_FAILURES: frozenset[str] = frozenset()

REQUIRED_SHARE = 0.995


def _jsonl(name: str) -> list[dict]:
    return load_records(name)


def _numbers_in(printed: str) -> list[int]:
    """The numbers a printed 文号 shows, read independently of the parser (full-width, O and l too)."""
    plain = printed.translate(str.maketrans("０１２３４５６７８９Oo〇lI", "012345678900011"))
    return [int(run) for run in re.findall(r"\d+", plain)]


def _is_correct(number: DocNumber | None, printed: str) -> bool:
    if number is None or not FORMS[number.kind].match(number.canonical):
        return False
    shown = [number.year, number.sequence] if number.year is not None else [number.sequence]
    return _numbers_in(number.canonical) == shown == _numbers_in(printed)


def test_corpus_doc_numbers_parse_to_canonical_form() -> None:
    printed_numbers = [row["doc_number"] for row in _jsonl("docnumbers.jsonl") if row["doc_number"]]
    failures = [printed for printed in printed_numbers if not _is_correct(parse_doc_number(printed), printed)]
    share = 1 - len(failures) / len(printed_numbers)
    print(f"\n文号 parsed to a correct canonical form: {share:.4%} of {len(printed_numbers)}")
    for printed in failures:
        print(f"  failed: {printed!r} -> {parse_doc_number(printed)}")
    assert share >= REQUIRED_SHARE
    assert set(failures) <= KNOWN_FAILURES, f"new failures: {sorted(set(failures) - KNOWN_FAILURES)}"


def test_corpus_raw_fields_with_labels_parse_like_the_trimmed_ones() -> None:
    rows = [row for row in _jsonl("docnumbers.jsonl") if row["doc_number"] and row["doc_number_raw"]]
    differing = [
        row["doc_number_raw"]
        for row in rows
        if (raw := parse_doc_number(row["doc_number_raw"])) is None
        or raw.canonical != parse_doc_number(row["doc_number"]).canonical
    ]
    assert differing == []


def test_corpus_code_is_what_was_printed_before_the_bracket() -> None:
    for row in _jsonl("docnumbers.jsonl"):
        number = parse_doc_number(row["doc_number"] or "")
        if number is not None and number.kind == "standard":
            printed_prefix = re.split(r"[〔\[(（]", number.printed, maxsplit=1)[0].replace(" ", "")
            assert printed_prefix.endswith(number.code), row["doc_number"]


def _variants(canonical: str) -> list[str]:
    """Ways sources and OCR print a canonical 文号."""
    code, rest = canonical.split("〔")
    year, sequence = rest.removesuffix("号").split("〕")
    full_width = str.maketrans("0123456789", "０１２３４５６７８９")
    return [
        canonical,
        f"{code}[{year}]{sequence}号",
        f"{code}［{year}］{sequence}号",
        f"{code}【{year}】{sequence}号",
        f"{code}({year}){sequence}号",
        f"{code}（{year}）{sequence}号",
        f"{code}﹝{year}﹞{sequence}号",
        f"{code}〖{year}〗{sequence}号",
        f"{code} 〔 {year} 〕 {sequence} 号",
        f"{code}[ {year} ]{sequence} 号",
        f"{code}〔{year}〕第{sequence}号",
        f"{code}〔{year}〕0{sequence}号",
        f"{code}〔{year}〕{sequence}",
        f"{code}〔{year.translate(full_width)}〕{sequence.translate(full_width)}号",
        f"{code}〔{year.replace('0', 'O').replace('1', 'l')}〕{sequence}号",
        f"文号：{canonical}",
        f"  发文字号:\u3000{code}[{year}]{sequence}号 ",
        f"（{canonical}）",
        f"{code} {year} {sequence}",
    ]


def test_documents_doc_numbers_in_every_printing() -> None:
    for document in _jsonl("documents.jsonl"):
        canonical = document["doc_number"]
        for printed in _variants(canonical):
            number = parse_doc_number(printed)
            assert number is not None, printed
            assert number.canonical == canonical, printed
            assert number.kind == "standard"


def test_documents_bodies_contain_their_own_number() -> None:
    for document in _jsonl("documents.jsonl"):
        body = document["body"]
        found = find_doc_numbers(body)
        assert document["doc_number"] in [match.number.canonical for match in found], document["id"]
        for match in found:
            assert body[match.start : match.end] == match.number.printed


def test_documents_numbers_cited_in_bodies() -> None:
    by_id = {document["id"]: document["body"] for document in _jsonl("documents.jsonl")}
    cited = [match.number.canonical for match in find_doc_numbers(by_id["govcn-5345284"])]
    assert cited == [
        "国办发〔1996〕32号",
        "中发〔1994〕8号",
        "国办发〔1993〕71号",
        "国办发〔1993〕71号",  # 要按照国办发〔1993〕71号文件
        "中发〔1994〕8号",  # 要根据中发〔1994〕8号文件
    ]
    cited = [match.number.canonical for match in find_doc_numbers(by_id["govcn-5351671"])]
    assert cited == ["国办函〔2004〕71号", "国发〔2004〕20号", "发改农经〔2004〕1933号"]


def test_gd_sample_and_govdoc397_numbers() -> None:
    for path, expected in (
        (corpus_file("000_20060089da20eb48.txt"), "粤办函〔2016〕629号"),
        (corpus_file("govdoc397/397.txt"), "发改办财金规〔2019〕860号"),
    ):
        found = find_doc_numbers(path.read_text(encoding="utf-8"))
        assert found[0].number.canonical == expected


@pytest.mark.parametrize(
    ("printed", "canonical", "code", "year", "sequence", "kind"),
    [
        ("粤办函〔2016〕629号", "粤办函〔2016〕629号", "粤办函", 2016, 629, "standard"),
        ("豫政 〔2023〕27号", "豫政〔2023〕27号", "豫政", 2023, 27, "standard"),
        ("粤府办〔 2022 〕96 号", "粤府办〔2022〕96号", "粤府办", 2022, 96, "standard"),
        ("粤办函〔2016〕第629号", "粤办函〔2016〕629号", "粤办函", 2016, 629, "standard"),
        ("粤办函［２０１６］０６２９号", "粤办函〔2016〕629号", "粤办函", 2016, 629, "standard"),
        ("粤办函【2O16】62l号", "粤办函〔2016〕621号", "粤办函", 2016, 621, "standard"),
        ("晋政办发(2019〕999号", "晋政办发〔2019〕999号", "晋政办发", 2019, 999, "standard"),
        ("晋政发〔2016〕号36", "晋政发〔2016〕36号", "晋政发", 2016, 36, "standard"),
        ("发文字号：\u200b晋政办发〔2019〕12号", "晋政办发〔2019〕12号", "晋政办发", 2019, 12, "standard"),
        ("控方案的通知粤府〔2020〕71号", "粤府〔2020〕71号", "粤府", 2020, 71, "standard"),
        ("发改办财金规〔2019〕860号", "发改办财金规〔2019〕860号", "发改办财金规", 2019, 860, "standard"),
        ("粤办函 2016 629", "粤办函〔2016〕629号", "粤办函", 2016, 629, "standard"),
        ("粤办函2016-629", "粤办函〔2016〕629号", "粤办函", 2016, 629, "standard"),
        ("广东省人民政府令第227号", "广东省人民政府令第227号", "广东省人民政府令", None, 227, "decree"),
        ("国令第708号", "国令第708号", "国令", None, 708, "decree"),
        ("交通运输部令2019年第1号", "交通运输部令2019年第1号", "交通运输部令", 2019, 1, "decree"),
        ("国家药监局公告2020年第46号", "国家药监局公告2020年第46号", "国家药监局公告", 2020, 46, "announcement"),
        ("公告2018年第14号", "公告2018年第14号", "公告", 2018, 14, "announcement"),
        ("公告 2018 年第 １４ 号", "公告2018年第14号", "公告", 2018, 14, "announcement"),
        # what people type: two-digit and Chinese-numeral years, traditional characters
        ("国办函〔06〕71号", "国办函〔2006〕71号", "国办函", 2006, 71, "standard"),
        ("国办发(98)3号", "国办发〔1998〕3号", "国办发", 1998, 3, "standard"),
        ("国办函〔二〇〇六〕71号", "国办函〔2006〕71号", "国办函", 2006, 71, "standard"),
        ("国办函〔二○○六〕71号", "国办函〔2006〕71号", "国办函", 2006, 71, "standard"),
        ("国办函〔〇六〕71号", "国办函〔2006〕71号", "国办函", 2006, 71, "standard"),
        ("國辦函〔2006〕71號", "国办函〔2006〕71号", "国办函", 2006, 71, "standard"),
        ("國辦函〔二〇〇六〕第71號", "国办函〔2006〕71号", "国办函", 2006, 71, "standard"),
        ("國辦函 2006 71", "国办函〔2006〕71号", "国办函", 2006, 71, "standard"),
        ("廣東省人民政府令第227號", "广东省人民政府令第227号", "广东省人民政府令", None, 227, "decree"),
    ],
)
def test_parse_doc_number(printed: str, canonical: str, code: str, year: int | None, sequence: int, kind: str) -> None:
    number = parse_doc_number(printed)
    assert number is not None
    found = (number.canonical, number.code, number.year, number.sequence, number.kind)
    assert found == (canonical, code, year, sequence, kind)
    assert number.printed == printed.removeprefix("发文字号：").strip("\u200b ")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "文号：",
        "国务院",
        "粤办函〔2016〕0号",
        "粤办函〔2016〕",
        "〔2016〕629号",
        "粤办函〔1850〕5号",
        "粤办函〔016〕629号",
        "粤办函〔二〇一〕629号",
        "粤办函〔2〇一六〕629号",
    ],
)
def test_parse_doc_number_rejects(text: str) -> None:
    assert parse_doc_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("国务院关于印发国发〔2018〕41号文件的通知", ["国发〔2018〕41号"]),
        ("现将《广东省某某办法》（粤府办〔2019〕5号）印发给你们", ["粤府办〔2019〕5号"]),
        ("转发粤办函[2016]629号和粤府〔2019〕5号", ["粤办函[2016]629号", "粤府〔2019〕5号"]),
        ("根据国务院国发〔2019〕3号文件", ["国发〔2019〕3号"]),
        ("按照省政府粤府〔2019〕5号文件精神", ["粤府〔2019〕5号"]),
        ("依据鄂政办发 〔2019〕 8 号的要求", ["鄂政办发 〔2019〕 8 号"]),
        ("关于转发国办发明电〔2020〕1号的通知", ["国办发明电〔2020〕1号"]),
        ("我院以法〔1998〕86号通知印发", ["法〔1998〕86号"]),
        ("（以下简称京政办字〔2017〕20号）", ["京政办字〔2017〕20号"]),
        ("1985年11月30日市人民政府京政发〔1985〕167号", ["京政发〔1985〕167号"]),
        ("，以国务院令第708号公布", ["国务院令第708号"]),
        ("《最低工资规定》（劳动和社会保障部令第21号）", ["劳动和社会保障部令第21号"]),
        ("2000年10月31日原国家发展计划委员会令第8号", ["原国家发展计划委员会令第8号"]),
        ("根据国家药监局公告2020年第46号", ["国家药监局公告2020年第46号"]),
        ("粤办函〔2016〕629的规定", ["粤办函〔2016〕629"]),
        ("《规划（2016—2020年）》与标准(2019)12项", []),
        ("（2019年）和〔2019〕5号", []),
    ],
)
def test_find_doc_numbers(text: str, expected: list[str]) -> None:
    found = find_doc_numbers(text)
    assert [text[match.start : match.end] for match in found] == expected
    assert [match.number.printed for match in found] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("根据國辦函〔2006〕71號文件", ["国办函〔2006〕71号"]),
        ("按照国办发〔98〕3号和国办函〔二〇〇六〕71号", ["国办发〔1998〕3号", "国办函〔2006〕71号"]),
        # outside hexagonal brackets only a full Arabic year followed by 号 is a 文号's year
        ("见附表(06)3号和（二〇〇六）5号", []),
    ],
)
def test_find_doc_numbers_with_short_chinese_and_traditional_years(text: str, expected: list[str]) -> None:
    found = find_doc_numbers(text)
    assert [match.number.canonical for match in found] == expected
    assert all(text[match.start : match.end] == match.number.printed for match in found)


@pytest.mark.parametrize(
    ("two_digits", "this_year", "year"),
    [
        (0, 2026, 2000),
        (6, 2026, 2006),
        (26, 2026, 2026),
        (27, 2026, 1927),
        (98, 2026, 1998),
        (99, 2099, 2099),
        (5, 2004, 1905),
    ],
)
def test_full_year_is_never_in_the_future(two_digits: int, this_year: int, year: int) -> None:
    assert full_year(two_digits, this_year) == year


@pytest.mark.parametrize(
    ("printed", "year"),
    [
        ("2006", 2006),
        ("2O06", 2006),
        ("二〇〇六", 2006),
        ("二零零六", 2006),
        ("一九九八", 1998),
        ("06", 2006),
        ("〇六", 2006),
    ],
)
def test_year_value(printed: str, year: int) -> None:
    assert year_value(printed, this_year=2026) == year


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        ("国办函", DocNumberPrefix("国办函")),
        (" 国办函 ", DocNumberPrefix("国办函")),
        ("国办函〔2006〕", DocNumberPrefix("国办函", 2006)),
        ("国办函[2006]", DocNumberPrefix("国办函", 2006)),
        ("国办函（06）", DocNumberPrefix("国办函", 2006)),
        ("国办函〔二〇〇六〕", DocNumberPrefix("国办函", 2006)),
        ("國辦函〔２００６〕", DocNumberPrefix("国办函", 2006)),
        ("國辦函", DocNumberPrefix("国办函")),
        ("法〔1998〕", DocNumberPrefix("法", 1998)),
        ("发改办财金规", DocNumberPrefix("发改办财金规")),
    ],
)
def test_parse_doc_number_prefix(text: str, prefix: DocNumberPrefix) -> None:
    assert parse_doc_number_prefix(text) == prefix


@pytest.mark.parametrize(
    "text",
    [
        "",
        "法",
        "通知",
        "关于印发国发",
        "国务院关于加强管理的通知",
        "国办函〔2006〕71号",
        "国办函 2006",
        "国办函〔1850〕",
        "covid",
        "国办函〔2006",
        "一二三四五六七八九十一",
    ],
)
def test_parse_doc_number_prefix_rejects(text: str) -> None:
    assert parse_doc_number_prefix(text) is None


def test_a_prefix_covers_the_canonical_forms_it_stands_for() -> None:
    assert DocNumberPrefix("国办函").canonical == "国办函〔"
    assert DocNumberPrefix("国办函", 2006).canonical == "国办函〔2006〕"
    assert parse_doc_number("国办函〔2006〕71号").canonical.startswith(DocNumberPrefix("国办函", 2006).canonical)
    assert not "国办函电〔2006〕1号".startswith(DocNumberPrefix("国办函").canonical)


_CHINESE_DIGITS = dict(zip("0123456789", "〇一二三四五六七八九", strict=False))


@functools.cache
def _traditional() -> dict[str, str]:
    """A traditional form of each simplified character (the t2s table turned round)."""
    return {simplified: chr(code_point) for code_point, simplified in t2s_table().items()}


def _typed_variants(canonical: str) -> list[str]:
    """Ways people type a canonical 文号 and its prefixes: a two-digit or Chinese-numeral year, traditional characters."""
    code, rest = canonical.split("〔")
    year, sequence = rest.removesuffix("号").split("〕")
    in_traditional = "".join(_traditional().get(char, char) for char in code)
    chinese_year = "".join(_CHINESE_DIGITS[digit] for digit in year)
    return [
        f"{code}〔{year[2:]}〕{sequence}号",
        f"{code}({year[2:]}){sequence}号",
        f"{code}〔{chinese_year}〕{sequence}号",
        f"{code}〔{chinese_year.replace('〇', CHINESE_ZEROS[1])}〕{sequence}号",
        f"{code}〔{chinese_year[2:]}〕{sequence}号",
        f"{in_traditional}〔{year}〕{sequence}號",
        f"{in_traditional}〔{chinese_year}〕第{sequence}號",
    ]


def _corpus_canonicals() -> list[str]:
    numbers = (parse_doc_number(row["doc_number"]) for row in _jsonl("docnumbers.jsonl") if row["doc_number"])
    return sorted({number.canonical for number in numbers if number is not None and number.kind == "standard"})


def test_corpus_doc_numbers_as_people_type_them() -> None:
    canonicals = _corpus_canonicals()
    assert len(canonicals) > 10_000
    wrong = []
    for canonical in canonicals:
        if int(canonical.split("〔")[1][:4]) > 2026:
            continue  # (no such year in the corpus; two digits would read as 19xx)
        for typed in _typed_variants(canonical):
            number = parse_doc_number(typed)
            if number is None or number.canonical != canonical:
                wrong.append((typed, number and number.canonical))
        code, year = canonical.split("〔")[0], int(canonical.split("〔")[1][:4])
        if parse_doc_number_prefix(f"{code}〔{year}〕") != DocNumberPrefix(code, year):
            wrong.append((f"{code}〔{year}〕", parse_doc_number_prefix(f"{code}〔{year}〕")))
    assert wrong == []


def test_traditional_folding_changes_no_simplified_corpus_number() -> None:
    table = t2s_table()
    rows = _jsonl("docnumbers.jsonl")
    assert not [
        row["doc_number_raw"]
        for row in rows
        if (row["doc_number_raw"] or "").translate(table) != (row["doc_number_raw"] or "")
    ]


def test_find_doc_numbers_gives_canonical_forms() -> None:
    text = "国务院关于印发国发［２０１８］４１号文件的通知，转发粤办函〔2016〕第629号"
    assert [match.number.canonical for match in find_doc_numbers(text)] == ["国发〔2018〕41号", "粤办函〔2016〕629号"]


def test_issuer_codes() -> None:
    office = issuer_for_code("粤办函")
    assert office is not None and (office.issuer, office.jurisdiction) == ("广东省人民政府办公厅", "cn-gd")
    assert jurisdiction_for_code("国发") == "cn"
    assert jurisdiction_for_code("晋政办发") == "cn-sx"
    assert jurisdiction_for_code("鄂政办函") == "cn-hb"
    assert jurisdiction_for_code("广东省人民政府令") == "cn-gd"  # a decree, through the issuer's name
    assert jurisdiction_for_code("山西省人民政府令") == "cn-sx"
    assert issuer_for_code("不存在的代字") is None
    assert jurisdiction_for_code("国家药监局公告") is None


def test_issuer_code_table_is_well_formed() -> None:
    table = resources.files("gazette").joinpath("data", "issuer_codes.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in table.splitlines() if line and not line.startswith("#")]
    assert all(len(row) == 3 for row in rows)
    codes = [code for code, _, _ in rows]
    assert len(codes) == len(set(codes)), "a code is listed twice"
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", code) for code in codes)
    assert all(re.fullmatch(r"cn(-[a-z]{2})?", jurisdiction) for _, _, jurisdiction in rows)
    required = (
        "国发 国办发 国办函 国函 国令 国发明电 国办发明电 粤府 粤府办 粤办函 粤府函 晋政发 晋政办发 "
        "晋政函 晋政办函 晋政办电 鄂政发 鄂政办发 鄂政办函 鄂政函 豫政 发改办财金规"
    )
    assert set(required.split()) <= set(codes)
