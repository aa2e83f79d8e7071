"""Key facts carried by the summaries of the own test set, lexically, beside lead-3 (the
article's first three sentences, headline included, as ``claimcheck eval`` takes it), lead-3
without page furniture and the lead of the summary's length (the article's first sentences
without furniture, up to as many words as the summary has), and the words of each: the quick
measure for working on summaries (about five minutes with the embedded model; ``claimcheck
eval --suite own --parts summaries`` adds the checker's verdicts and takes half an hour).

    python -m evals.summary_facts [--cases own|dev] [--model M] [--show]

``--cases dev`` summarizes the development cases (``evals/cases/dev``), the ones the summary
is tuned on; ``own`` (the default) the reported set. Also counts the key facts that lie past the
article's fifth paragraph (``evals.summary_pick``) and how many of them the summary carries.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from claimcheck import ClaimCheck
from claimcheck.summarize import article_sentences

from .baselines import lead_sentences
from .cases import load_cases
from .run import carried_lexically, settings_for
from .summary_pick import FOLDERS, PAST, fact_paragraphs


def carried(facts: list[str], text: str) -> int:
    return sum(carried_lexically(fact, text) for fact in facts)


def same_length(sentences: list[str], n_words: int) -> str:
    """The first sentences, up to the first that reaches ``n_words`` words in all."""
    out: list[str] = []
    for sentence in sentences:
        if sum(len(s.split()) for s in out) >= n_words:
            break
        out.append(sentence)
    return " ".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", choices=sorted(FOLDERS), default="own")
    parser.add_argument("--model", default=None)
    parser.add_argument("--show", action="store_true", help="print each summary and its facts")
    args = parser.parse_args()
    totals = {"summary": 0, "lead-3": 0, "lead-3 without furniture": 0, "lead, same length": 0}
    words = {name: 0 for name in totals}
    facts_total, seconds, tokens, longest = 0, [], [], 0
    past = {"facts": 0, "carried": 0}
    with tempfile.TemporaryDirectory(prefix="claimcheck-facts-") as tmp:
        with ClaimCheck(settings=settings_for(args.model, Path(tmp))) as cc:
            for case in load_cases(FOLDERS[args.cases]):
                facts = case.data.get("key_facts", [])
                if not facts:
                    continue
                article = cc.ingest(case.text, title=case.data.get("title") or case.name)
                summary = cc.summarize(article.id, refresh=True)
                kept = [case.text[s.start : s.end] for s in article_sentences(case.text)]
                texts = {
                    "summary": summary.text,
                    "lead-3": " ".join(lead_sentences(case.text, 3)),
                    "lead-3 without furniture": " ".join(kept[:3]),
                    "lead, same length": same_length(kept, len(summary.text.split())),
                }
                for name, text in texts.items():
                    words[name] += len(text.split())
                counts = {name: carried(facts, text) for name, text in texts.items()}
                for name, n in counts.items():
                    totals[name] += n
                facts_total += len(facts)
                for fact, paragraph in zip(facts, fact_paragraphs(case.text, facts), strict=True):
                    if paragraph >= PAST:
                        past["facts"] += 1
                        past["carried"] += carried_lexically(fact, summary.text)
                longest = max([longest, *(len(s.text.split()) for s in summary.sentences)])
                seconds.append(summary.seconds)
                tokens.append((summary.input_tokens, summary.output_tokens))
                print(f"{case.name}: {counts} of {len(facts)}", flush=True)
                if args.show:
                    for sentence in summary.sentences:
                        print(f"  - {sentence.text}")
                    for fact in facts:
                        print(f"  {'+' if carried_lexically(fact, summary.text) else ' '} {fact}")
    for name, n in totals.items():
        print(
            f"{name}: {n} of {facts_total} key facts ({n / max(1, facts_total):.3f}), "
            f"{words[name]} words"
        )
    print(
        f"key facts past the fifth paragraph carried by the summary: {past['carried']} of "
        f"{past['facts']}; longest summary sentence {longest} words"
    )
    print(
        f"median seconds {statistics.median(seconds)}, median tokens in / out "
        f"{statistics.median(t[0] for t in tokens)} / {statistics.median(t[1] for t in tokens)}"
    )


if __name__ == "__main__":
    main()
