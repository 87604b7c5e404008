"""A text or HTML page saved from a government site → its disclosure header and paragraphs.

Government pages print a disclosure table (索引号, 分类, 发布机构, 成文日期, 名称, 文号,
发布日期, 主题词, 公开属性) above the text, wrap it in site chrome (view counts, print and
close links, a repeated heading) and often carry artefacts of extraction: a label cut
short (``引号`` for ``索引号``), spaces inside words, markdown bold, a paragraph broken
where the page broke. Each is repaired by a general rule, never by matching this file.

A page is HTML by its content, not its name: a browser's ``<!-- saved from url -->``
comment, a doctype, a byte-order mark or a line of text before ``<html>`` leave it HTML.
Its encoding comes from `ingest.encoding`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

from gazette.chars import HAN
from gazette.exceptions import BadInputError
from gazette.structure import PARAGRAPH_END, heading_level, is_attachment_note
from ingest import encoding
from ingest.encoding import DecodedText
from ingest.layout import Paragraph
from ingest.normalize import remove_spaces_in_han_text

#: Disclosure labels as pages print them → the field they fill.
LABELS: dict[str, str] = {
    "索引号": "index_number",
    "分类": "category",
    "主题分类": "category",
    "发布机构": "issuer",
    "发文机关": "issuer",
    "成文日期": "date_written",
    "名称": "title",
    "标题": "title",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "发布日期": "date_published",
    "主题词": "subject_words",
    "公开属性": "disclosure",
}
# Site chrome: words that only a web page prints around a document.
_CHROME = re.compile(
    r"浏览次数|访问量|点击数|阅读量|字号[：:]|[【\[]?\s*(?:打印|关闭|关闭窗口|收藏|分享到?)\s*[】\]]|扫一扫"
)
_PAIR = re.compile(rf"(?P<label>[{HAN}]{{1,6}})\s*[：:]\s*(?P<value>[^\t]*?)\s*(?=\t|\s{{2,}}|$)")
_MARKDOWN = re.compile(r"^#{1,6}\s+|\*\*|__")
# The tags that make text a web page wherever they stand (a page may start with anything),
# and those that make it one at its start (a fragment saved without <html>).
_PAGE_TAG = re.compile(r"<(?:html|head|body)(?:\s[^>]*)?>", re.IGNORECASE)
_FRAGMENT_TAG = re.compile(r"<(?:div|p|table|br|span|h[1-6])(?:\s[^>]*)?/?>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_PREAMBLE = re.compile(r"\A(?:\s|\ufeff|<\?xml[^>]*>|<!doctype[^>]*>)*", re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article"}
# A line this long that does not end a sentence was broken by the page, not by the author.
_BROKEN_LINE_CHARS = 40


@dataclass(frozen=True)
class Disclosure:
    """The disclosure header of a government page; every value as printed (None when absent)."""

    index_number: str | None = None
    category: str | None = None
    issuer: str | None = None
    date_written: str | None = None
    title: str | None = None
    doc_number: str | None = None
    date_published: str | None = None
    subject_words: str | None = None
    disclosure: str | None = None
    repaired_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class WebPage:
    disclosure: Disclosure
    paragraphs: tuple[Paragraph, ...]


def decode(data: bytes, path: str) -> DecodedText:
    """A saved page's text (see `ingest.encoding`); BadInputError when its bytes are not text."""
    decoded = encoding.decode(data)
    if decoded is None:
        raise BadInputError("is not text in any encoding that could be told (binary data?)", path=path)
    return decoded


def looks_like_html(text: str) -> bool:
    """Whether text is a web page: an <html>, <head> or <body> tag anywhere, or markup from its
    start (after comments, a doctype or an XML declaration); other XML is not a page."""
    bare = _COMMENT.sub("", text)
    if _PAGE_TAG.search(bare):
        return True
    preamble = _PREAMBLE.match(bare)  # always matches: every part of it is optional
    return _FRAGMENT_TAG.match(bare, preamble.end() if preamble else 0) is not None


def html_to_lines(html: str) -> list[str]:
    """Visible text of an HTML page, one line per block element; scripts, styles and navigation dropped.

    Parsing starts at the first <html>, <head> or <body> tag: what a save tool wrote before
    it (a comment, a URL) is no part of the page, and lxml refuses an XML declaration in
    text already decoded.
    """
    bare = _COMMENT.sub("", html)
    start = _PAGE_TAG.search(bare)
    markup = bare[start.start() :] if start else _PREAMBLE.sub("", bare, count=1)
    root = lxml.html.document_fromstring(markup if markup.strip() else "<html></html>")
    for element in list(root.iter("script", "style", "head", "title", "nav", "header", "footer")):
        if isinstance(element, lxml.html.HtmlMixin):  # every element an HTML parser makes
            element.drop_tree()
    chunks: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in _BLOCK_TAGS:
            chunks.append("\n")
        if element.text:
            chunks.append(element.text)
        if element.tag in {"td", "th"}:
            chunks.append("\t")
        if element.tail:
            chunks.append(element.tail)
    return "".join(chunks).splitlines()


def canonical_label(label: str) -> str | None:
    """A label as printed → the known label; a damaged one is repaired when it is the end or the
    start of exactly one known label (``引号`` → ``索引号``)."""
    if label in LABELS:
        return label
    matches = [known for known in LABELS if len(label) >= 2 and (known.endswith(label) or known.startswith(label))]
    return matches[0] if len(matches) == 1 else None


def parse_page(text: str) -> WebPage:
    """Disclosure header and paragraphs of a saved page (text, markdown or HTML)."""
    lines = html_to_lines(text) if looks_like_html(text) else text.splitlines()
    fields: dict[str, str] = {}
    repaired: list[str] = []
    body: list[str] = []
    in_header = True
    for raw in lines:
        line = _MARKDOWN.sub("", raw).strip()
        pairs = _disclosure_pairs(line) if in_header else []
        if pairs:
            for printed, label, value in pairs:
                fields.setdefault(LABELS[label], value)
                if printed != label:
                    repaired.append(f"{printed}→{label}")
            continue
        if not line:
            continue
        in_header = False
        if _CHROME.search(line) or _repeats_title(line, fields.get("title")) and not body:
            continue
        body.append(remove_spaces_in_han_text(line))
    values = {field: (value or None) for field, value in fields.items()}
    disclosure = Disclosure(**values, repaired_labels=tuple(repaired))
    return WebPage(disclosure, tuple(Paragraph(text, 1) for text in join_page_breaks(body)))


def _disclosure_pairs(line: str) -> list[tuple[str, str, str]]:
    """``label: value`` pairs of a header line; empty unless every label on it is known (or repairable)."""
    pairs = []
    for match in _PAIR.finditer(line):
        label = canonical_label(match["label"])
        if label is None:
            return []
        pairs.append((match["label"], label, match["value"].strip()))
    return pairs


def _repeats_title(line: str, title: str | None) -> bool:
    """The page's own heading repeating the document title (the document prints it again below)."""
    if not title:
        return False
    return remove_spaces_in_han_text(line).replace(" ", "") == title.replace(" ", "")


def join_page_breaks(lines: list[str]) -> list[str]:
    """Join a long line that stops mid-sentence with the next: on a web page each paragraph is one
    line, so such a break comes from the printed page (``集中采访、`` / ``新闻通稿``)."""
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        broken = len(previous) >= _BROKEN_LINE_CHARS and not previous.endswith(tuple(PARAGRAPH_END))
        if broken and not heading_level(line) and not is_attachment_note(line):
            out[-1] = previous + line
        else:
            out.append(line)
    return out
