"""Summaries whose every sentence cites the article. The code picks the sentences the summary
is written from: the first sentence of each of the article's paragraphs (page furniture,
questions and speakers' labels left out), ``2 * sentences + 1`` of them, so the facts come
from the article's first paragraphs and not only its first lines; the model shortens them to
their key facts, one short sentence each (a short prompt whatever the article's length), citing
them by number; the code joins neighbouring short sentences by a semicolon into the sentences
asked for and turns the numbers into exact spans. A written sentence whose names, numbers or
words its citations do not hold, or that is unfinished, is cited again with the picked
sentences that do, or else replaced by the picked sentence it rests on, word for word.

Measured on the own test set (README.md, "Summaries"): the 1.5B model asked to pick the key
sentences itself answered "1, 2, 3, 4, 5"; asked to write sentences that combine the facts of
several lines it copied the first three lines, with or without a worked example; asked for
short sentences, one or two lines each, it writes one per line, and the joined summary carries
40 of 60 key facts against 30 for lead-3 (without furniture).
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Collection, Sequence
from functools import cache
from typing import Annotated

from langchain_core.language_models import BaseChatModel
from pydantic import Field, create_model

from . import prompts
from .evidence import (
    STOP_WORDS,
    content_words,
    fact_found,
    find_facts,
    negated,
    normalize_words,
    number_lines,
)
from .furniture import dateline, furniture, furniture_chars
from .models import Article, Quote, Summary, SummarySentence
from .structured import ModelAnswer, Usage, invoke_structured
from .text import Span, paragraphs, sentences

SENTENCE_CHARS = 400
MAX_CITES = 3
FACTS_PER_SENTENCE = 2  # short sentences written, then joined, per summary sentence asked for
FINAL = (".", "!", "?", '"', "\u201d", "\u2019", "'", ")")  # how a finished sentence ends
GROUNDED_WORDS = 0.75  # of a written sentence's content words its citations must hold


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


def leads(paragraph_of: Sequence[int], n: int) -> list[int]:
    """The indexes of the first sentence of each of the first ``n`` paragraphs, in order,
    ``paragraph_of`` giving each sentence's paragraph: a news paragraph adds one thing and says
    it first. An article of fewer paragraphs adds its other sentences in order, up to ``n``."""
    out: list[int] = []
    for i, para in enumerate(paragraph_of):
        if not out or para != paragraph_of[out[-1]]:
            out.append(i)
            if len(out) == n:
                return out
    rest = [i for i in range(len(paragraph_of)) if i not in out]
    return sorted(out + rest[: n - len(out)])


def write(
    model: BaseChatModel, lines: Sequence[str], n_sentences: int, usage: Usage
) -> list[tuple[str, list[int]]]:
    """Sentences of a summary written from ``lines``, each with the 0-based indexes of the
    lines it cites."""
    output = answer_model(len(lines), n_sentences)
    answer = invoke_structured(
        model,
        prompts.load("summary", output).messages(
            sentences=n_sentences, numbered=number_lines(lines)
        ),
        output,
        usage=usage,
        max_tokens=40 + 80 * n_sentences,
        name="summary",
    )
    return [(" ".join(s.text.split()), sorted({c - 1 for c in s.cites})) for s in answer.sentences]


def ungrounded(sentence: str, cited: Sequence[str]) -> list[str]:
    """What of a written sentence its cited sentences do not hold: a name or a number, too
    many of its content words, or the negation. Empty when they hold it all."""
    haystack = " " + " ".join(normalize_words(c) for c in cited) + " "
    facts, is_negated = find_facts(sentence)
    problems = [fact for fact, label in facts if not fact_found(fact, label, haystack)]
    words = content_words(sentence) - STOP_WORDS
    held = content_words(" ".join(cited))
    if words and len(words & held) < GROUNDED_WORDS * len(words):
        problems.append("words its citations do not have: " + ", ".join(sorted(words - held)[:3]))
    if is_negated and not any(negated(c) for c in cited):
        problems.append("a negation its citations do not have")
    if not sentence.rstrip().endswith(FINAL):
        problems.append("it is unfinished")
    return problems


def grounded(
    written: Sequence[tuple[str, list[int]]], lines: Sequence[str]
) -> list[tuple[str, list[int]]]:
    """Each written sentence with citations that hold it: as the model cited it; else cited
    with the lines that hold its missing facts; else replaced by the line it cites first (or
    the first line not used yet), word for word."""
    out: list[tuple[str, list[int]]] = []
    used: set[int] = set()
    for text, cites in written:
        cites = [c for c in cites if 0 <= c < len(lines)]
        if cites and not ungrounded(text, [lines[c] for c in cites]):
            out.append((text, cites))
            used.update(cites)
            continue
        recited = _recited(text, cites, lines)
        if recited is not None:
            out.append((text, recited))
            used.update(recited)
            continue
        fallback = next((c for c in [*cites, *range(len(lines))] if c not in used), None)
        if fallback is not None:
            out.append((" ".join(lines[fallback].split()), [fallback]))
            used.add(fallback)
    return out


def _recited(text: str, cites: Sequence[int], lines: Sequence[str]) -> list[int] | None:
    """Up to ``MAX_CITES`` lines that hold the sentence, the model's own citations tried
    first; None when no such set is found."""
    order = list(dict.fromkeys([*cites, *range(len(lines))]))
    chosen: list[int] = []
    for line in order:
        if len(chosen) == MAX_CITES:
            break
        before = len(ungrounded(text, [lines[c] for c in chosen])) if chosen else None
        after = len(ungrounded(text, [lines[c] for c in [*chosen, line]]))
        if before is None or after < before:
            chosen.append(line)
            if after == 0:
                return sorted(chosen)
    return None


def summarize(
    article: Article,
    model: BaseChatModel,
    *,
    n_sentences: int = 3,
    usage: Usage | None = None,
) -> list[SummarySentence]:
    """Summary sentences with their citations."""
    usage = usage if usage is not None else Usage()
    text = article.text
    spans = article_sentences(text)
    if not spans:
        return []
    starts = [p.start for p in paragraphs(text)]
    paragraph_of = [bisect_right(starts, span.start) for span in spans]
    key = leads(paragraph_of, FACTS_PER_SENTENCE * n_sentences + 1)
    picked = [text[spans[i].start : spans[i].end] for i in key]
    written = write(model, picked, FACTS_PER_SENTENCE * n_sentences, usage)
    result = joined(distinct(grounded(written, picked)), n_sentences, common_words(text))
    cited = [[spans[key[i]] for i in cites] for _, cites in result]
    return _with_quotes(article, [t for t, _ in result], cited)


_WORD = re.compile(r"\b[a-z][\w\u2019'-]*")


def common_words(text: str) -> set[str]:
    """The words the text writes in lower case ("the", "fares"): a sentence's first word that
    is one of them is lowered after a semicolon; a name ("Lunde", "Ola") keeps its capital."""
    return set(_WORD.findall(text))


# a sentence's final full stop, also inside closing quotation marks ('partners."' -> 'partners"')
_FINAL_STOP = re.compile(r"\.([\"\u201d\u2019']*)$")


def joined(
    written: Sequence[tuple[str, list[int]]], n: int, lower: Collection[str] = ()
) -> list[tuple[str, list[int]]]:
    """Short sentences joined into at most ``n``, neighbours in the article's order, by a
    semicolon ("The court ordered ...; the ruling could cost ..."), each citing what its parts
    cite; the first word after a semicolon is lowered when it is one of the ``lower`` words
    (:func:`common_words`). A small model asked for sentences that combine facts copies the
    first lines it is shown; asked for short ones, one or two lines each, it writes one per
    line, and the code combines them."""
    items = sorted(written, key=lambda item: min(item[1], default=0))
    if len(items) <= n:
        return list(items)
    size, extra = divmod(len(items), n)
    out: list[tuple[str, list[int]]] = []
    start = 0
    for group in range(n):
        part = items[start : start + size + (group < extra)]
        start += len(part)
        text = part[0][0]
        for nxt, _ in part[1:]:
            first, _, rest = nxt.partition(" ")
            if first.lower() in lower and first != "I" and (first[1:].islower() or len(first) == 1):
                nxt = f"{first[0].lower()}{first[1:]} {rest}"
            text = _FINAL_STOP.sub(r"\1", text.rstrip()) + "; " + nxt
        out.append((text, sorted({c for _, cites in part for c in cites})))
    return out


def article_sentences(text: str) -> list[Span]:
    """The sentences a summary may rest on: not a headline, a byline, a teaser or other page
    furniture (a sentence mostly made of a furniture line is left out), not a question or a
    speaker's label, and the first one without the dateline it opens with ("BRELIN — ")."""
    spans = sentences(text)
    lines = furniture(text)
    kept = [
        s
        for s in spans
        if furniture_chars(s, lines) * 2 < s.end - s.start and states(text[s.start : s.end])
    ] or spans
    if kept and (cut := dateline(text[kept[0].start : kept[0].end])):
        kept[0] = Span(kept[0].start + cut, kept[0].end)
    return kept  # an article of headings only is still summarized


MIN_WORDS = 3  # a shorter sentence ("Almost.", "Not yet.") is an answer, not a statement


def states(sentence: str) -> bool:
    """Whether a sentence can state a fact: not a question ("Why not close?"), not a label
    alone ("QUESTION:", "SOLHEIM:", as an interview's lines begin) and not an answer of a word
    or two ("Almost.", which the summary once joined to another line as "...; Almost.")."""
    sentence = sentence.strip()
    label = sentence.endswith(":") and len(sentence.split()) <= 3
    short = len(sentence.split()) < MIN_WORDS
    return bool(sentence) and not label and not short and not sentence.endswith("?")


REPEAT = 0.8  # a sentence with this share of its content words in an earlier one repeats it


def distinct(written: Sequence[tuple[str, list[int]]]) -> list[tuple[str, list[int]]]:
    """The written sentences without those that merely repeat an earlier one."""
    out: list[tuple[str, list[int]]] = []
    for text, cites in written:
        words = content_words(text)
        if text and not any(len(words & content_words(o)) >= REPEAT * len(words) for o, _ in out):
            out.append((text, cites))
    return out


def _with_quotes(
    article: Article, texts: Sequence[str], cited: Sequence[Sequence[Span]]
) -> list[SummarySentence]:
    """The summary's sentences with their citations as quotes: a citation whose text another
    citation of the sentence already has (a page repeating a line) is listed once."""
    out: list[SummarySentence] = []
    for t, spans in zip(texts, cited, strict=True):
        if not spans or not t:
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
) -> Summary:
    started = time.perf_counter()
    usage = Usage()
    sents = summarize(article, model, n_sentences=n_sentences, usage=usage)
    return Summary(
        article_id=article.id,
        sentences=sents,
        model=model_id,
        prompt_version=prompts.load("summary").version,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cached_tokens=usage.cached_tokens,
        seconds=round(time.perf_counter() - started, 2),
    )
