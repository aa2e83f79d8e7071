"""Where attribution goes wrong: the parser's misses and false alarms on PolNeAR dev, by kind.

    python -m evals.attribution_errors [--limit N] [--examples K]

Scores the parser alone (what the claims pipeline is built on; no model, about a minute), and
sorts every gold attribution it missed and every candidate that matches no gold one into
categories read off the gold annotation (its cue word and what kind of word it is, whether the
content is quoted, nominal or clausal, whether the source is a pronoun, a place or missing) and
off the candidate (what the code would have kept). The table goes in evals/README.md.
"""

from __future__ import annotations

import argparse
import collections
import sys
from typing import Any

from claimcheck.attribution.lexicon import CUE_VERBS, NOMINAL_CUES
from claimcheck.text import parser

from .attribution import parser_items
from .loaders import AttributionDoc, GoldAttribution, load_polnear
from .metrics import PRF, _overlap, score_attributions, speaker_matches

QUOTES = '“”"«»'


def gold_category(doc: AttributionDoc, gold: GoldAttribution) -> str:
    """One word for why a gold attribution is hard: its cue's kind and its content's shape."""
    text = doc.text
    cue = " ".join(text[a:b] for a, b in gold.cue).strip()
    content = " ".join(text[a:b] for a, b in gold.content).strip()
    if len(gold.content) > 1 and any(
        "\n\n" in text[gold.content[i][1] : gold.content[i + 1][0]]
        for i in range(len(gold.content) - 1)
    ):
        return "quotation across paragraphs"
    if not cue:
        return "no cue (quotation or layout)" if content[:1] in QUOTES else "no cue"
    tokens = [t for t in parser()(cue) if not t.is_punct]
    head = next((t for t in tokens if t.pos_ in ("VERB", "AUX")), None)
    if cue.lower().startswith("according"):
        return "according to"
    if head is None:
        noun = next((t for t in tokens if t.pos_ in ("NOUN", "PROPN")), None)
        return "noun cue" if noun is not None else f"other cue ({cue.lower()[:20]})"
    lemma = head.lemma_.lower()
    known = lemma in CUE_VERBS or lemma in NOMINAL_CUES
    if not known:
        return "verb not in the lexicon"
    clausal = content[:1] in QUOTES or " that " in f" {content[:40]} " or len(content.split()) > 8
    return "known verb, clausal content" if clausal else "known verb, nominal content"


def analyse(docs: list[AttributionDoc], examples: int) -> dict[str, Any]:
    missed: collections.Counter[str] = collections.Counter()
    gold_by: collections.Counter[str] = collections.Counter()
    wrong_speaker: collections.Counter[str] = collections.Counter()
    false_alarms: collections.Counter[str] = collections.Counter()
    shown: dict[str, list[str]] = collections.defaultdict(list)
    span_total, speaker_total = PRF(), PRF()
    for doc in docs:
        pairs = parser_items(doc.text)
        system = [item for item, _ in pairs]
        cands = [cand for _, cand in pairs]
        span, speaker = score_attributions(system, doc.gold)
        span_total.add(span)
        speaker_total.add(speaker)
        for g in doc.gold:
            category = gold_category(doc, g)
            gold_by[category] += 1
            size = sum(e - s for s, e in g.content)
            hit = next(
                (s for s in system if size and _overlap(s.content, g.content) / size >= 0.5), None
            )
            snippet = " ".join(doc.text[a:b] for a, b in g.content)[:110].replace("\n", " ")
            cue = " ".join(doc.text[a:b] for a, b in g.cue)
            if hit is None:
                missed[category] += 1
                if len(shown[category]) < examples:
                    shown[category].append(f"[{g.source_text} | {cue}] {snippet}")
            elif not speaker_matches(hit.speaker, g.source_text):
                wrong_speaker[category] += 1
                key = f"speaker: {category}"
                if len(shown[key]) < examples:
                    shown[key].append(f"gold {g.source_text!r} got {hit.speaker!r}: {snippet}")
        for s, c in zip(system, cands, strict=True):
            if any(
                _overlap(s.content, g.content) / max(1, sum(e - b for b, e in g.content)) >= 0.5
                for g in doc.gold
            ):
                continue
            cue = doc.text[c.cue.start : c.cue.end].lower() if c.cue else "(none)"
            head = parser()(cue)[-1].lemma_ if c.cue else "(none)"
            false_alarms[f"{c.kind}, cue {head}"] += 1
            key = f"false alarm: {c.kind}, cue {head}"
            if len(shown[key]) < examples:
                text = " ".join(doc.text[a:b] for a, b in s.content)[:110].replace("\n", " ")
                shown[key].append(f"[{s.speaker} | {cue}] {text}")
    return {
        "span": span_total.as_dict(),
        "span+speaker": speaker_total.as_dict(),
        "gold": gold_by,
        "missed": missed,
        "wrong_speaker": wrong_speaker,
        "false_alarms": false_alarms,
        "examples": shown,
    }


def main(argv: list[str] | None = None) -> int:
    parser_args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser_args.add_argument("--limit", type=int, default=None)
    parser_args.add_argument("--examples", type=int, default=0)
    args = parser_args.parse_args(argv)
    result = analyse(load_polnear(limit=args.limit), args.examples)
    span, speaker = result["span"], result["span+speaker"]
    print(f"parser alone: span P/R/F1 {span['precision']}/{span['recall']}/{span['f1']}; ", end="")
    print(
        f"span+speaker {speaker['precision']}/{speaker['recall']}/{speaker['f1']} "
        f"({speaker['system']} found, {speaker['gold']} gold)"
    )
    print("\n| gold attribution | gold | missed | found, wrong speaker |")
    print("| --- | --- | --- | --- |")
    for category, count in result["gold"].most_common():
        print(
            f"| {category} | {count} | {result['missed'][category]} | "
            f"{result['wrong_speaker'][category]} |"
        )
    print("\n| false alarm (matches no gold) | count |")
    print("| --- | --- |")
    for category, count in result["false_alarms"].most_common(15):
        print(f"| {category} | {count} |")
    for key, lines in result["examples"].items():
        print(f"\n## {key}")
        for line in lines:
            print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
