"""Summaries whose every sentence cites the article. The code picks what each sentence is
written from: the first sentence of the article's first paragraph (page furniture, questions
and speakers' labels left out) for the first, and the first sentences of the next three
paragraphs for each other, so the facts come from the article's first paragraphs and not only
its first lines; the model combines each group into one short sentence, as plain text (a
short prompt whatever the article's length, and no JSON keys to pay for: the words written
are the cost); the code turns the sentences it rests on into exact spans. A written sentence
whose names, numbers or words its group does not hold, or that is unfinished, is replaced by
the group's first sentence, word for word.

Measured on the development cases (README.md, "Summaries"): the 1.5B model asked for a
summary of numbered sentences copied them, in JSON or in plain text; asked for short
sentences, one a line, it wrote them, and the code had to join them with semicolons; asked
for one sentence that combines a group of three, with a worked example, it combines them.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel

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
from .furniture import Furniture, dateline, furniture
from .models import Article, Quote, Summary, SummarySentence
from .structured import Usage, invoke_text
from .text import Span, paragraphs, sentences

GROUP = 3  # lines combined into each summary sentence after the first
MAX_CITES = GROUP
MAX_WORDS = 35  # a summary sentence of more is no summary sentence
MAX_TOKENS = 64  # a written sentence: about 20 words are asked for, 45 would be too many
FINAL = (".", "!", "?", '"', "\u201d", "\u2019", "'", ")")  # how a finished sentence ends
GROUNDED_WORDS = 0.75  # of a written sentence's content words its citations must hold


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


def groups(n_lines: int, n_sentences: int) -> list[list[int]]:
    """Which lines each summary sentence is written from: the first alone (a news article's
    first sentence says what happened), then ``GROUP`` lines for each other sentence."""
    out = [[0]] if n_lines else []
    for first in range(1, n_lines, GROUP):
        if len(out) == n_sentences:
            break
        out.append(list(range(first, min(first + GROUP, n_lines))))
    return out


def write(model: BaseChatModel, lines: Sequence[str], usage: Usage) -> str:
    """One sentence combining the key facts of ``lines``, as the model writes it."""
    text = invoke_text(
        model,
        prompts.load("summary").messages(numbered=number_lines(lines)),
        usage=usage,
        max_tokens=MAX_TOKENS,
        stop=["\n"],
    )
    first = next((line for line in text.splitlines() if line.strip()), "")
    return " ".join(first.split())  # its first line, should a server not stop there


def sentence_for(
    model: BaseChatModel, lines: Sequence[str], group: Sequence[int], usage: Usage
) -> str:
    """The summary sentence written from the ``group`` of lines: a first line short enough
    as it is (the article's first sentence, which says what happened, word for word); else as
    the model writes it, asked once more without the group's last line when it wrote more than
    ``MAX_WORDS`` words (it writes longer than asked when given much)."""
    if len(group) == 1 and len(lines[group[0]].split()) <= MAX_WORDS:
        return " ".join(lines[group[0]].split())
    text = write(model, [lines[i] for i in group], usage)
    if len(text.split()) > MAX_WORDS and len(group) > 1:
        text = write(model, [lines[i] for i in group[:-1]], usage)
    return text


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
    """Each written sentence, given with the lines it was written from, cited with the fewest
    of them (then of the other lines) that hold it; a sentence no lines hold is replaced by the
    first of its lines not used yet (or the first line not used yet), word for word."""
    out: list[tuple[str, list[int]]] = []
    used: set[int] = set()
    for text, source in written:
        source = [c for c in source if 0 <= c < len(lines)]
        fits = text and len(text.split()) <= MAX_WORDS
        cites = _recited(text, source, lines) if fits else None
        if cites is not None:
            out.append((text, cites))
            used.update(cites)
            continue
        fallback = next((c for c in [*source, *range(len(lines))] if c not in used), None)
        if fallback is not None:
            out.append((" ".join(lines[fallback].split()), [fallback]))
            used.add(fallback)
    return out


def _recited(text: str, source: Sequence[int], lines: Sequence[str]) -> list[int] | None:
    """The fewest lines (at most ``MAX_CITES``) that hold the sentence, chosen one at a time
    by what they add (a name or number first, then content words), the lines it was written
    from first among equals; None when no such set is found."""
    order = list(dict.fromkeys([*source, *range(len(lines))]))
    words = content_words(text) - STOP_WORDS

    def lacking(chosen: list[int]) -> tuple[int, int]:
        cited = [lines[c] for c in chosen]
        return len(ungrounded(text, cited)), len(words - content_words(" ".join(cited)))

    chosen: list[int] = []
    while len(chosen) < MAX_CITES and len(chosen) < len(order):
        best = min((c for c in order if c not in chosen), key=lambda c: lacking([*chosen, c]))
        if chosen and lacking([*chosen, best]) >= lacking(chosen):
            return None
        chosen.append(best)
        if not ungrounded(text, [lines[c] for c in chosen]):
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
    key = leads(paragraph_of, 1 + GROUP * (n_sentences - 1))
    picked = [text[spans[i].start : spans[i].end] for i in key]
    written = [(sentence_for(model, picked, g, usage), g) for g in groups(len(picked), n_sentences)]
    result = distinct(grounded(written, picked))
    cited = [[spans[key[i]] for i in cites] for _, cites in result]
    return _with_quotes(article, [t for t, _ in result], cited)


def article_sentences(text: str) -> list[Span]:
    """The sentences a summary may rest on: not a headline, a byline, a teaser or other page
    furniture (a sentence mostly made of a furniture line is left out), not a question or a
    speaker's label, and the first one without the dateline it opens with ("BRELIN — ")."""
    spans = sentences(text)
    lines = furniture(text)
    kept = [
        s
        for s in spans
        if _furniture_chars(s, lines) * 2 < s.end - s.start and states(text[s.start : s.end])
    ] or spans
    if kept and (cut := dateline(text[kept[0].start : kept[0].end])):
        kept[0] = Span(kept[0].start + cut, kept[0].end)
    return kept  # an article of headings only is still summarized


def states(sentence: str) -> bool:
    """Whether a sentence can state a fact: not a question ("Why not close?") and not a label
    alone ("QUESTION:", "SOLHEIM:", as an interview's lines begin)."""
    sentence = sentence.strip()
    label = sentence.endswith(":") and len(sentence.split()) <= 3
    return bool(sentence) and not label and not sentence.endswith("?")


def _furniture_chars(span: Span, lines: Sequence[Furniture]) -> int:
    return sum(max(0, min(span.end, f.span.end) - max(span.start, f.span.start)) for f in lines)


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
