from __future__ import annotations

from gazette.search.snippets import FRAGMENTS, WIDTH, make_snippet

TEXT = ("城市管理工作要统筹推进。" * 12 + "其中海绵城市试点要按期完成。") * 5


def test_at_most_three_fragments_of_about_eighty_characters() -> None:
    snippet = make_snippet(TEXT, [("海绵城市", False)])
    assert 1 <= len(snippet.fragments) <= FRAGMENTS
    for fragment in snippet.fragments:
        assert len(fragment.text) <= WIDTH
        assert [fragment.text[start:end] for start, end in fragment.marks] == ["海绵城市"]


def test_render_marks_for_web_and_terminal() -> None:
    snippet = make_snippet("甲<乙>海绵城市丙", [("海绵城市", False)])
    assert snippet.html() == "甲&lt;乙&gt;<mark>海绵城市</mark>丙"
    assert snippet.render("[", "]") == "甲<乙>[海绵城市]丙"


def test_match_across_a_space_and_in_traditional_form() -> None:
    snippet = make_snippet("推进阳光政 务建设", [("阳光政务", False)])
    assert snippet.render("[", "]") == "推进[阳光政 务]建设"
    assert make_snippet("國務院辦公廳", [("国务院", False)]).render("[", "]") == "[國務院]辦公廳"


def test_unquoted_string_found_in_parts_marks_the_parts() -> None:
    text = "推进数字政策落实。加强政府建设。"
    assert make_snippet(text, [("数字政府建设", True)]).render("[", "]") == "推进[数字政]策落实。加强[政府建设]。"
    assert make_snippet(text, [("数字政府建设", False)]).render("[", "]") == text


def test_no_match_gives_the_beginning() -> None:
    snippet = make_snippet(TEXT, [("不存在", False)])
    assert snippet.fragments[0].text == TEXT[:WIDTH] and snippet.fragments[0].marks == ()
    assert snippet.render("[", "]").endswith("…")
    assert make_snippet("", [("x", False)]).render("[", "]") == ""


def test_a_match_broken_by_a_line_is_marked_when_no_whole_one_is_printed() -> None:
    assert make_snippet("有\n关部门", [("有关", False)]).render("[", "]") == "[有 关]部门"
    # With a whole match printed, the text is not folded: the broken one goes unmarked.
    assert make_snippet("有关部门与有\n关单位", [("有关", False)]).render("[", "]") == "[有关]部门与有 关单位"
