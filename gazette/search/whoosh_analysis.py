"""The Whoosh tokenizers over `analysis`'s token lists: Whoosh alone imports this module, so a
tantivy archive never loads Whoosh."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from whoosh.analysis import Token, Tokenizer

from gazette.search.analysis import bigrams, latin_words


class _TermsTokenizer(Tokenizer):  # type: ignore[misc]  # whoosh has no type information
    """A Whoosh tokenizer emitting the terms ``split`` gives, with positions (one Token reused, as Whoosh does)."""

    split: Callable[[str], list[str]]

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        terms = type(self).split(value) if tokenize else [value]
        yield from _emit(terms, positions, start_pos, removestops, mode, kwargs)


class BigramTokenizer(_TermsTokenizer):
    """`bigrams(value)` with positions."""

    split = staticmethod(bigrams)


class LatinWordTokenizer(_TermsTokenizer):
    """`latin_words(value)` with positions."""

    split = staticmethod(latin_words)


def _emit(
    terms: list[str], positions: bool, start_pos: int, removestops: bool, mode: str, kwargs: dict[str, object]
) -> Iterator[Token]:
    token = Token(positions, False, removestops=removestops, mode=mode, **kwargs)
    for index, term in enumerate(terms):
        token.text = term
        token.boost = 1.0
        token.stopped = False
        if positions:
            token.pos = start_pos + index
        yield token
