from __future__ import annotations

import re
import unicodedata

from gazette.model import Document
from gazette.search.analysis import (
    _fold_table,
    _t2s_table,
    analyse,
    bigrams,
    fold,
    fold_with_offsets,
    is_latin_word,
    latin_words,
    phrase_terms,
    stream,
)
from gazette.search.whoosh_analysis import BigramTokenizer


def test_fold_width_traditional_and_case() -> None:
    assert fold("ＡＢＣ１２３") == "abc123"
    assert fold("國務院辦公廳關於") == "国务院办公厅关于"
    assert fold("Covid") == "covid"


def reference_fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_t2s_table()).lower()


def test_fold_is_nfkc_then_t2s_then_lower_case(corpus: tuple[Document, ...]) -> None:
    tricky = ["第Ⅱ条①", "＝\u0338", "\uf900豈", "ｶﾞ", "ΣΑΣ", "İ", "（２０２０）年　ＷＴＯ，發展", "e\u0301", "㈱℡"]
    for text in tricky + [doc.title for doc in corpus] + [doc.text for doc in corpus]:
        assert fold(text) == reference_fold(text), text


def test_the_fold_table_maps_one_character_to_one_and_t2s_only_between_ideographs() -> None:
    # What `fold` (the table in one pass, NFKC only when needed) and `fold_with_offsets` rely on.
    ideograph = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")
    assert all(isinstance(value, int) or len(value) == 1 for value in _fold_table())
    assert all(ideograph.fullmatch(chr(code)) and ideograph.fullmatch(value) for code, value in _t2s_table().items())


def test_analyse_joins_the_bigrams_and_finds_the_latin_words() -> None:
    for text in ["综合保税区", "税", "", "，。", "按照ＷＴＯ规则第１２３条", "𠀀𠀁x"]:
        assert analyse(text) == (" ".join(bigrams(text)), latin_words(text))


def test_stream_drops_punctuation_and_spaces() -> None:
    # The space of `阳光政 务` (a real page artefact) and the brackets of a 文号 vanish.
    assert stream("阳光政 务") == "阳光政务"
    assert stream("粤办函[2016]629号") == stream("粤办函〔2016〕629号") == "粤办函2016629号"
    assert stream("集中采访、\n新闻通稿") == "集中采访新闻通稿"


def test_bigrams_overlap_and_end_with_the_last_character() -> None:
    assert bigrams("综合保税区") == ["综合", "合保", "保税", "税区", "区"]
    assert bigrams("税") == ["税"]
    assert bigrams("，。") == []


def test_phrase_terms_are_consecutive_bigrams_of_any_substring() -> None:
    text = "综合保税区是开放型经济的重要平台"
    terms = bigrams(text)
    for start in range(len(text) - 1):
        for end in range(start + 2, len(text) + 1):
            wanted = phrase_terms(text[start:end])
            assert terms[start : start + len(wanted)] == wanted
    assert phrase_terms("税") == ["税"]


def test_latin_words_are_whole_words() -> None:
    assert latin_words("按照ＷＴＯ规则第１２３条, covid-19") == ["wto", "123", "covid", "19"]
    assert is_latin_word("ＷＴＯ") and not is_latin_word("WTO规则")


def test_offsets_agree_with_stream_on_real_text(corpus: tuple[Document, ...]) -> None:
    for doc in corpus:
        folded, offsets = fold_with_offsets(doc.text)
        assert folded == stream(doc.text)
        assert all(doc.text[offset].isalnum() or ord(doc.text[offset]) > 0x2E80 for offset in offsets)


def test_offsets_of_characters_that_fold_to_several_or_none() -> None:
    text = "（ﬁ）發展，Ａ１"  # ﬁ folds to two letters; brackets and comma to nothing
    folded, offsets = fold_with_offsets(text)
    assert folded == stream(text) == "fi发展a1"
    assert offsets == [1, 1, 3, 4, 6, 7]


def test_whoosh_tokenizer_gives_positions() -> None:
    tokens = [(token.text, token.pos) for token in BigramTokenizer()("保税区", positions=True)]
    assert tokens == [("保税", 0), ("税区", 1), ("区", 2)]
