"""The project's own test set: news-style articles written for claimcheck, with gold.

Each case is ``evals/cases/<name>.json``: the article (``text_path``, relative to the project,
or ``text``), its attributions (speaker, source span, content spans, kind), claims to check with
labels, questions with the facts an answer must give, and a reference summary. Offsets are
Python string offsets, end exclusive; ``tests/test_cases.py`` checks every one against the text.

To write a case, put snippets instead of spans (``"source": "[He] pointed"`` marks the span by
its context; ``"content": ["exact text", ...]``) and run
``python -m evals.cases build SPEC.json evals/cases/NAME.json``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .loaders import ROOT, AttributionDoc, GoldAttribution

CASES = Path(__file__).resolve().parent / "cases"
LABELS = ("supported", "refuted", "not_enough_info")


@dataclass
class Case:
    name: str
    text: str
    data: dict[str, Any]

    @property
    def attribution_doc(self) -> AttributionDoc:
        gold = [
            GoldAttribution(
                content=tuple(tuple(c["span"]) for c in a["content"]),
                source=(tuple(a["source"]["span"]),) if a.get("source") else (),
                source_text=a["speaker"] or "",  # the resolved speaker, not the pronoun
            )
            for a in self.data["attributions"]
        ]
        return AttributionDoc(self.name, self.text, gold)


def load_cases(folder: Path = CASES) -> list[Case]:
    cases = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text = (
            (ROOT / data["text_path"]).read_text(encoding="utf-8")
            if "text_path" in data
            else data["text"]
        )
        cases.append(Case(data["name"], text, data))
    return cases


def build(spec: dict[str, Any], text: str) -> dict[str, Any]:
    """Gold with offsets from a case written with snippets; unique snippets only."""

    def find(snippet: str) -> list[int]:
        at = text.find(snippet)
        if at < 0:
            raise ValueError(f"not in the text: {snippet!r}")
        if text.find(snippet, at + 1) >= 0:
            raise ValueError(f"more than once in the text, add context: {snippet!r}")
        return [at, at + len(snippet)]

    out = json.loads(json.dumps(spec))
    for a in out["attributions"]:
        a["content"] = [{"text": c, "span": find(c)} for c in a["content"]]
        source = a.get("source")
        if source and "[" in source:
            inner = source[source.index("[") + 1 : source.index("]")]
            at = find(source.replace("[", "").replace("]", ""))[0] + source.index("[")
            a["source"] = {"text": inner, "span": [at, at + len(inner)]}
        elif source:
            a["source"] = {"text": source, "span": find(source)}
    return out


def main(argv: list[str]) -> None:
    if len(argv) != 3 or argv[0] != "build":
        sys.exit("usage: python -m evals.cases build SPEC.json OUT.json")
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    text = (
        (ROOT / spec["text_path"]).read_text(encoding="utf-8")
        if "text_path" in spec
        else spec["text"]
    )
    Path(argv[2]).write_text(
        json.dumps(build(spec, text), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
