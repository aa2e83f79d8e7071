"""Simple baselines computed on the same items as the system, printed beside every score."""

from __future__ import annotations

from typing import Any

from claimcheck.text import paragraphs, parser, trim

from .metrics import SystemAttribution

REPORTING = frozenset("say tell add claim report state announce according argue write".split())


def reporting_verb_rule(text: str) -> list[SystemAttribution]:
    """Every sentence with a reporting verb is one attribution: the whole sentence is the
    content, the verb's grammatical subject (else the first person or organization named in
    the sentence) is the speaker."""
    nlp = parser()
    out = []
    paras = paragraphs(text)
    for para, doc in zip(paras, nlp.pipe(text[p.start : p.end] for p in paras), strict=True):
        for sent in doc.sents:
            verbs = [t for t in sent if t.lemma_.lower() in REPORTING]
            if not verbs:
                continue
            span = trim(text, para.start + sent.start_char, para.start + sent.end_char)
            if span is None:
                continue
            subjects = [c for v in verbs for c in v.children if c.dep_ in ("nsubj", "pobj")]
            names = [e.text for e in sent.ents if e.label_ in ("PERSON", "ORG")]
            speaker = (
                " ".join(t.text for t in subjects[0].subtree) if subjects else (names or [None])[0]
            )
            out.append(SystemAttribution(((span.start, span.end),), speaker))
    return out


def entity_number_rule(doc: str, text: str) -> bool:
    """Consistent unless the text names a number, date or entity the document never mentions."""
    from claimcheck.evidence import fact_found, find_facts, normalize_words

    haystack = f" {normalize_words(doc)} "
    facts, _ = find_facts(text)
    return all(fact_found(fact, label, haystack) for fact, label in facts)


def lead_sentences(text: str, n: int = 3) -> list[str]:
    """Lead-n: the article's first ``n`` sentences, the summary baseline."""
    from claimcheck.text import sentences

    return [" ".join(text[s.start : s.end].split()) for s in sentences(text)[:n]]


def retrieval_answer(question: str, articles: list[Any]) -> tuple[str | None, str]:
    """The question-answering baseline: the stored sentence sharing most content words with the
    question, as the answer, citing its article; ('', None) when no sentence shares any."""
    from claimcheck.evidence import overlap
    from claimcheck.text import sentences

    best: tuple[float, str | None, str] = (0.0, None, "")
    for article in articles:
        for span in sentences(article.text):
            sentence = article.text[span.start : span.end]
            score = overlap(question, sentence)
            if score > best[0]:
                best = (score, article.id, " ".join(sentence.split()))
    return best[1], best[2]
