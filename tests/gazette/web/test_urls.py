from __future__ import annotations

from urllib.parse import unquote

import pytest

from gazette.web import urls


def test_pages_are_folders_and_names_are_percent_encoded() -> None:
    page = urls.document_page("国办函〔1996〕14号")
    assert page == "documents/国办函〔1996〕14号/index.html"
    assert urls.url_path(page) == "/documents/%E5%9B%BD%E5%8A%9E%E5%87%BD%E3%80%941996%E3%80%9514%E5%8F%B7/"
    assert urls.twin(page) == "documents/国办函〔1996〕14号/index.json"
    assert urls.url_path(urls.HOME) == "/"
    assert urls.absolute_url(page, "https://gov.example/gazette/") == "https://gov.example/gazette" + urls.url_path(
        page
    )


@pytest.mark.parametrize("name", ["国办函〔1996〕14号~1a6f1a05", "2016-12-12-abc", "a%b#c d", "关于?“引号”", "../etc"])
def test_url_and_site_path_map_one_to_one(name: str) -> None:
    page = urls.document_page(name)
    assert urls.site_path(urls.url_path(page)) == page
    folder = page.split("/")[1]
    assert "/" not in folder and not folder.startswith(".")
    assert unquote(urls.url_path(page)).strip("/").split("/")[1] == folder


def test_names_never_leave_their_folder() -> None:
    assert urls.segment("a/b") == "a_b"
    assert urls.segment("..") not in ("..", ".")
    assert urls.document_page("../../etc/passwd").count("/") == 2


def test_relative_links_work_from_disk() -> None:
    here = urls.document_page("国发〔2019〕3号")
    assert urls.href(here, urls.HOME) == "../../index.html"
    assert urls.href(here, urls.STYLESHEET) == "../../static/site.css"
    assert urls.href(urls.HOME, here) == "documents/%E5%9B%BD%E5%8F%91%E3%80%942019%E3%80%953%E5%8F%B7/index.html"
    # a name with a colon is never read as a URL scheme
    assert urls.href(urls.HOME, urls.document_page("a:b")).startswith("documents/")
    assert ":" not in urls.href(urls.CATALOGUE, urls.document_page("http:x"))
