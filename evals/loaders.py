"""Loaders for the public benchmark files, read in place (never copied into the project)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


class DataMissing(FileNotFoundError):
    """A benchmark file is not where the loader looked: the suite is skipped, not failed."""


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        raise DataMissing(
            f"{what} not found at {path} (the public benchmark files are read in place)"
        )
    return path


@dataclass(frozen=True)
class GoldAttribution:
    """One brat ``Attribution`` relation; spans may be discontinuous."""

    content: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...] = ()
    cue: tuple[tuple[int, int], ...] = ()
    source_text: str = ""


@dataclass
class AttributionDoc:
    name: str
    text: str
    gold: list[GoldAttribution] = field(default_factory=list)


def _spans(field_text: str) -> tuple[tuple[int, int], ...]:
    """``"Content 752 760;769 800"`` -> ((752, 760), (769, 800))."""
    _, _, ranges = field_text.partition(" ")
    out = []
    for part in ranges.split(";"):
        start, end = part.split()
        out.append((int(start), int(end)))
    return tuple(out)


def parse_brat(ann: str, text: str) -> list[GoldAttribution]:
    """Attribution relations of a PolNeAR brat file; ``Discard`` spans are skipped."""
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    relations = []
    for line in ann.splitlines():
        if line.startswith("T"):
            tid, info, *_ = line.split("\t")
            kind = info.split(" ", 1)[0]
            if kind != "Discard":
                spans[tid] = (kind, _spans(info))
        elif line.startswith("E"):
            _, info = line.split("\t", 1)
            relations.append(dict(part.split(":", 1) for part in info.split()))
    gold = []
    for rel in relations:
        roles = {role: spans[tid][1] for role, tid in rel.items() if tid in spans}
        if "Content" not in roles:
            continue
        source = roles.get("Source", ())
        gold.append(
            GoldAttribution(
                content=roles["Content"],
                source=source,
                cue=roles.get("Cue", ()),
                source_text=" ".join(text[a:b] for a, b in source),
            )
        )
    return gold


def load_polnear(path: Path | None = None, limit: int | None = None) -> list[AttributionDoc]:
    """PolNeAR articles with one annotator's attributions each (the first file by name)."""
    root = _require(path or DATA / "polnear" / "dev", "PolNeAR dev")
    texts = sorted((root / "text").glob("*.txt"))
    if not texts:
        raise DataMissing(f"no PolNeAR texts under {root / 'text'}")
    anns = sorted((root / "attributions").glob("*.ann"))
    docs = []
    for text_path in texts[:limit] if limit else texts:
        stem = text_path.stem
        matching = [a for a in anns if a.name.startswith(stem + "_")]
        if not matching:
            continue
        text = text_path.read_text(encoding="utf-8")
        docs.append(AttributionDoc(stem, text, parse_brat(matching[0].read_text("utf-8"), text)))
    return docs


@dataclass(frozen=True)
class CheckItem:
    """A text to check against a document, with its gold label (True = consistent)."""

    id: str
    doc: str
    text: str
    consistent: bool


def load_summedits(path: Path | None = None, limit: int | None = None) -> list[CheckItem]:
    """SummEdits news: each summary against its document; label 1 is consistent."""
    import json

    path = _require(path or DATA / "summedits" / "summedits_news.json", "SummEdits news")
    rows = json.loads(path.read_text(encoding="utf-8"))
    items = [
        CheckItem(str(r.get("id", i)), r["doc"], r["summary"], r["label"] == 1)
        for i, r in enumerate(rows)
    ]
    return subset(items, limit)


def load_qags(path: Path | None = None, limit: int | None = None) -> list[CheckItem]:
    """QAGS CNN/DailyMail: each summary sentence against its article; the majority of three
    workers' yes/no is the label."""
    import json

    path = _require(path or DATA / "qags" / "mturk_cnndm.jsonl", "QAGS CNN/DM")
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        record = json.loads(line)
        for m, sentence in enumerate(record["summary_sentences"]):
            yes = sum(r["response"] == "yes" for r in sentence["responses"])
            consistent = yes * 2 > len(sentence["responses"])
            items.append(CheckItem(f"{n}.{m}", record["article"], sentence["sentence"], consistent))
    return subset(items, limit)


def subset(items: list[CheckItem], limit: int | None, seed: int = 0) -> list[CheckItem]:
    """``limit`` items drawn with a fixed seed (the files are sorted by document, so the first
    N would cover one or two documents), kept in file order so a document is ingested once."""
    if not limit or limit >= len(items):
        return items
    import random

    keep = set(random.Random(seed).sample(range(len(items)), limit))
    return [item for i, item in enumerate(items) if i in keep]
