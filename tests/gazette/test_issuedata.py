"""Issue data: the [issue] table, the ingest options, issue.toml, and which value wins."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gazette.exceptions import BadInputError
from gazette.issuedata import IssueData, issue_from_options, issue_from_table, read_issue_file, settle


def test_the_table_as_the_publisher_writes_it() -> None:
    table = {"gazette": " 国务院公报 ", "year": 1996, "number": 5, "total": 790, "date": dt.date(1996, 3, 20)}
    assert issue_from_table(table, "x.toml") == IssueData("国务院公报", 1996, 5, 790, "1996-03-20")
    # A printed date is read as one.
    assert issue_from_table(table | {"date": "一九九六年三月二十日"}, "x.toml").date == "1996-03-20"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"year": 99999}, "year must be a year from 1800 to 2200, not 99999"),
        ({"number": 0}, "number must be a whole number of 1 or more, not 0"),
        ({"number": True}, "number must be a whole number"),
        ({"total": "790"}, "total must be a whole number"),
        ({"date": "June"}, "date 'June' is not a date"),
        ({"date": "1996-02-30"}, "is not a date"),
        ({"gazette": ""}, "gazette is missing or empty"),
        ({"issue": 5}, "unknown key 'issue'"),
    ],
)
def test_bad_values_are_one_line_naming_the_file(table: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"gazette": "国务院公报", "year": 1996, "number": 5, "date": "1996-03-20"}
    with pytest.raises(BadInputError, match=message) as error:
        issue_from_table(base | table, "issue.toml")
    assert str(error.value).startswith("issue.toml") and "\n" not in str(error.value)


def test_issue_toml_beside_pages(tmp_path: Path) -> None:
    path = tmp_path / "issue.toml"
    path.write_text('[issue]\ngazette = "国务院公报"\nyear = 1996\nnumber = 5\n', "utf-8")
    assert read_issue_file(path) == IssueData("国务院公报", 1996, 5)  # the date may be unknown
    for text, message in [
        ('[issue]\ngazette = "国务院公报"\nyear = 1996\n', "number is missing"),
        ('[issue\ngazette = "x"', "cannot read the issue file"),
        ('[issue]\ngazette = "x"\nyear = 1996\nnumber = 5\n[[sections]]\ntitle = "t"\n', "unknown key 'sections'"),
        ("title = 'x'\n", "unknown key 'title'"),
        ("", "no [issue] table"),
    ]:
        path.write_text(text, "utf-8")
        with pytest.raises(BadInputError, match=message.replace("[", r"\[")):
            read_issue_file(path)
    path.write_bytes(b"\xff\xfe[issue]")
    with pytest.raises(BadInputError, match="cannot read the issue file"):
        read_issue_file(path)


def test_the_options_go_together() -> None:
    assert issue_from_options(None, None, None) is None
    assert issue_from_options("国务院公报", 1996, 5, 790, "1996年3月20日") == IssueData(
        "国务院公报", 1996, 5, 790, "1996-03-20"
    )
    with pytest.raises(BadInputError, match="--number is missing"):
        issue_from_options("国务院公报", 1996, None)
    with pytest.raises(BadInputError, match="--gazette is missing"):
        issue_from_options(None, None, None, date="1996-03-20")
    with pytest.raises(BadInputError, match="--year must be a year"):
        issue_from_options("国务院公报", 99999, 5)


def test_the_command_line_wins_over_issue_toml_over_the_cover_and_each_disagreement_is_named() -> None:
    command = IssueData("国务院公报", 1996, 7)
    toml = IssueData("国务院公报", 1996, 6, total=790)
    cover = IssueData("中华人民共和国国务院公报", 1996, 5, date="1996-03-20")
    settled, notes = settle([("the command line", command), ("issue.toml", toml), ("the cover", cover)])
    assert settled == IssueData("国务院公报", 1996, 7, 790, "1996-03-20")
    assert notes == (
        "issue gazette: 国务院公报 from the command line, 中华人民共和国国务院公报 from the cover; 国务院公报 kept",
        "issue number: 7 from the command line, 6 from issue.toml; 7 kept",
        "issue number: 7 from the command line, 5 from the cover; 7 kept",
    )
    assert settle([("the cover", None)]) == (IssueData(), ())
