"""Summaries whose every sentence cites the article: the model cites sentence numbers, the code
turns them into exact spans. Articles longer than the model's context are summarized in parts
first (map), then the parts' sentences are summarized again (reduce)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import cache
from typing import Annotated

from langchain_core.language_models import BaseChatModel
from pydantic import Field, create_model

from . import prompts
from .evidence import content_words, number_lines
from .furniture import Furniture, furniture
from .models import Article, Quote, Summary, SummarySentence
from .structured import ModelAnswer, Usage, invoke_structured
from .text import CHARS_PER_TOKEN, Span, sentences

SENTENCE_CHARS = 400
MAX_CITES = 3


class WrittenSentence(ModelAnswer):
    text: str = Field(max_length=SENTENCE_CHARS)
    cites: list[int] = Field(min_length=1, max_length=MAX_CITES, description="Line numbers.")


class SummaryAnswer(ModelAnswer):
    """The model's summary: sentences, each citing the numbered lines it rests on."""

    sentences: list[WrittenSentence] = Field(min_length=1)


@cache
def answer_model(n_sources: int, n_sentences: int) -> type[SummaryAnswer]:
    """:class:`SummaryAnswer` for ``n_sources`` numbered lines and at most ``n_sentences``."""
    sentence = create_model(
        "WrittenSentence",
        __base__=WrittenSentence,
        cites=(
            list[Annotated[int, Field(ge=1, le=n_sources)]],
            Field(min_length=1, max_length=MAX_CITES),
        ),
    )
    return create_model(
        "SummaryAnswer",
        __base__=SummaryAnswer,
        sentences=(list[sentence], Field(min_length=1, max_length=n_sentences)),
    )


def _summarize_lines(
    model: BaseChatModel, lines: Sequence[str], n_sentences: int, usage: Usage
) -> list[tuple[str, list[int]]]:
    """Sentences of a summary of ``lines``, each with the 0-based indexes of lines it cites."""
    output = answer_model(len(lines), n_sentences)
    answer = invoke_structured(
        model,
        prompts.load("summary", output).messages(
            sentences=n_sentences, numbered=number_lines(lines)
        ),
        output,
        usage=usage,
        max_tokens=40 + 130 * n_sentences,
        name="summary",
    )
    return [(" ".join(s.text.split()), sorted({c - 1 for c in s.cites})) for s in answer.sentences]


def windows(spans: Sequence[Span], context_tokens: int, n_sentences: int) -> list[list[int]]:
    """Consecutive sentence indexes grouped so each group fits the model's context along with
    the prompt and the answer."""
    budget_chars = int((context_tokens - 400 - 130 * n_sentences) * 0.8 * CHARS_PER_TOKEN)
    groups: list[list[int]] = [[]]
    size = 0
    for i, s in enumerate(spans):
        length = s.end - s.start + 8
        if groups[-1] and size + length > budget_chars:
            groups.append([])
            size = 0
        groups[-1].append(i)
        size += length
    return groups


def summarize(
    article: Article,
    model: BaseChatModel,
    *,
    n_sentences: int = 3,
    context_tokens: int = 8192,
    usage: Usage | None = None,
) -> tuple[list[SummarySentence], bool]:
    """Summary sentences with their citations, and whether map-reduce was needed."""
    usage = usage if usage is not None else Usage()
    text = article.text
    spans = article_sentences(text)
    if not spans:
        return [], False
    lines = [text[s.start : s.end] for s in spans]
    groups = windows(spans, context_tokens, n_sentences)
    if len(groups) == 1:
        result = _summarize_lines(model, lines, n_sentences, usage)
        cited = [[spans[i] for i in cites] for _, cites in result]
        return _with_quotes(article, [t for t, _ in result], cited), False
    # Map: a summary of each window, its citations mapped back to article sentences.
    notes: list[str] = []
    note_cites: list[list[int]] = []
    for group in groups:
        for note, cites in _summarize_lines(model, [lines[i] for i in group], n_sentences, usage):
            notes.append(note)
            note_cites.append([group[c] for c in cites])
    # Reduce: a summary of the notes; a final sentence cites the article sentences its notes did.
    final = _summarize_lines(model, notes, n_sentences, usage)
    cited = []
    for _, note_ids in final:
        ids = sorted({i for n in note_ids for i in note_cites[n]})[:MAX_CITES]
        cited.append([spans[i] for i in ids])
    return _with_quotes(article, [t for t, _ in final], cited), True


def article_sentences(text: str) -> list[Span]:
    """The sentences a summary may rest on: not a headline, a byline, a dateline, a teaser or
    other page furniture (a sentence mostly made of a furniture line is left out)."""
    spans = sentences(text)
    lines = furniture(text)
    kept = [s for s in spans if _furniture_chars(s, lines) * 2 < s.end - s.start]
    return kept or spans  # an article of headings only is still summarized


def _furniture_chars(span: Span, lines: Sequence[Furniture]) -> int:
    return sum(max(0, min(span.end, f.span.end) - max(span.start, f.span.start)) for f in lines)


REPEAT = 0.8  # a sentence with this share of its content words in an earlier one repeats it


def _with_quotes(
    article: Article, texts: Sequence[str], cited: Sequence[Sequence[Span]]
) -> list[SummarySentence]:
    """The summary's sentences with their citations as quotes: a citation whose text another
    citation of the sentence already has (a page repeating a line) is listed once, and a
    sentence that repeats an earlier one is left out."""
    out: list[SummarySentence] = []
    for t, spans in zip(texts, cited, strict=True):
        if not spans or not t:
            continue
        words = content_words(t)
        if any(len(words & content_words(o.text)) >= REPEAT * len(words) for o in out):
            continue
        quotes: list[Quote] = []
        for s in spans:
            quote = Quote.from_span(article, s.start, s.end)
            if all(" ".join(q.text.split()) != " ".join(quote.text.split()) for q in quotes):
                quotes.append(quote)
        out.append(SummarySentence(text=t, citations=quotes))
    return out


def run(
    article: Article,
    model: BaseChatModel,
    *,
    model_id: str,
    n_sentences: int,
    context_tokens: int,
) -> Summary:
    started = time.perf_counter()
    usage = Usage()
    sents, map_reduce = summarize(
        article, model, n_sentences=n_sentences, context_tokens=context_tokens, usage=usage
    )
    return Summary(
        article_id=article.id,
        sentences=sents,
        model=model_id,
        prompt_version=prompts.load("summary").version,
        map_reduce=map_reduce,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        seconds=round(time.perf_counter() - started, 2),
    )
