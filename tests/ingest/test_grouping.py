"""Which files are pages of one source: natural order, each --group mode, and names that are not pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazette.exceptions import BadInputError
from ingest.grouping import SourceGroup, check_mode, group_files, group_identity, natural_key, page_stem


def names(groups: list[SourceGroup]) -> list[list[str]]:
    return [[f"{p.parent.name}/{p.name}" for p in group.files] for group in groups]


def test_pages_sort_naturally_ten_after_nine() -> None:
    files = [Path(f"s/name-p{n}.jpg") for n in (10, 2, 1, 9, 11)]
    (group,) = group_files(files)
    assert [p.name for p in group.files] == [f"name-p{n}.jpg" for n in (1, 2, 9, 10, 11)]
    assert group.how == "stem" and group.name == "name-p1.jpg … name-p11.jpg"
    assert sorted(["a10", "a9", "a1b", "a1a"], key=natural_key) == ["a1a", "a1b", "a9", "a10"]


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("name-p1.jpg", "name"),
        ("name_0002.tif", "name"),
        ("0001.png", ""),
        ("Scan Page 3.PNG", "scan"),
        ("公报第12页.png", "公报"),
        ("国办函〔1996〕14号.tif", None),  # a 文号 is not a page number
        ("cover.png", None),
    ],
)
def test_a_page_number_ends_the_name(name: str, stem: str | None) -> None:
    assert page_stem(Path(name)) == stem


def test_auto_groups_page_images_per_folder_and_stem_and_leaves_the_rest_alone() -> None:
    files = [
        Path("a/0002.png"),
        Path("a/0001.png"),
        Path("a/issue.pdf"),
        Path("a/other_01.tif"),
        Path("a/other_02.tif"),
        Path("b/0001.png"),
        Path("b/国办函〔1996〕14号.tif"),
        Path("b/p1.pdf"),
        Path("b/p2.pdf"),
        Path("b/notes.txt"),
    ]
    assert names(group_files(files)) == [
        ["a/0001.png", "a/0002.png"],
        ["a/issue.pdf"],
        ["a/other_01.tif", "a/other_02.tif"],
        ["b/0001.png"],  # alone in its folder: a source of one page
        ["b/国办函〔1996〕14号.tif"],
        ["b/p1.pdf"],  # PDFs are grouped only when asked (--group stem or folder)
        ["b/p2.pdf"],
        ["b/notes.txt"],
    ]
    assert [g.how for g in group_files(files)] == ["stem", "file", "stem", "file", "file", "file", "file", "file"]


def test_file_stem_and_folder_modes() -> None:
    files = [Path("a/x-p1.png"), Path("a/x-p2.png"), Path("a/p1.pdf"), Path("a/p2.pdf"), Path("a/cover.png")]
    assert names(group_files(files, "file")) == [[f"a/{p.name}"] for p in files]
    assert names(group_files(files, "stem")) == [
        ["a/x-p1.png", "a/x-p2.png"],
        ["a/p1.pdf", "a/p2.pdf"],
        ["a/cover.png"],
    ]
    assert names(group_files(files, "folder")) == [["a/cover.png", "a/p1.pdf", "a/p2.pdf", "a/x-p1.png", "a/x-p2.png"]]
    # A saved page or text file is never a page of a scan, whatever the mode.
    assert names(group_files([Path("a/1.txt"), Path("a/2.txt")], "folder")) == [["a/1.txt"], ["a/2.txt"]]


def test_a_bad_mode_is_one_line() -> None:
    with pytest.raises(BadInputError, match="--group takes auto, file, stem, folder, not 'pages'"):
        check_mode("pages")


def test_the_identity_depends_on_every_page_and_its_order() -> None:
    one, two, three = "1" * 64, "2" * 64, "3" * 64
    assert group_identity([one, two]) == group_identity([one, two])
    assert len({group_identity([one, two]), group_identity([two, one]), group_identity([one, two, three])}) == 3
    assert group_identity([one, two]) not in (one, two)
