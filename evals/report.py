"""The eval's report: headline scores beside their baselines as markdown, PNG plots, floors,
and the comparison of two runs."""

from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from .peers import PEERS

PACKAGES = ("claimcheck", "xllamacpp", "chromadb", "langchain-openai", "spacy", "pydantic")


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def flatten(tree: Any, prefix: str = "") -> dict[str, float]:
    """Numeric leaves of a report as ``a.b.c`` keys."""
    if isinstance(tree, dict):
        out: dict[str, float] = {}
        for key, value in tree.items():
            out |= flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(tree, bool) or not isinstance(tree, int | float):
        return {}
    return {prefix: tree}


HEADLINES = {
    # suite-relative key of a score -> its baseline's key
    "attribution.pipeline.span+speaker.f1": "attribution.baseline.span+speaker.f1",
    "attribution.pipeline.span.f1": "attribution.baseline.span.f1",
    "checking.claimcheck.balanced_accuracy": "checking.baseline.balanced_accuracy",
    "qa.claimcheck.answer_fact_recall": "qa.baseline.answer_fact_recall",
    "qa.claimcheck.citation_precision": "qa.baseline.citation_precision",
    "qa.claimcheck.refusal_correctness": "qa.baseline.refusal_correctness",
    "summaries.claimcheck.supported_share": "summaries.baseline.supported_share",
    "summaries.claimcheck.reference_word_recall": "summaries.baseline.reference_word_recall",
    "summaries.claimcheck.key_fact_recall": "summaries.baseline.key_fact_recall",
    "summaries.claimcheck.key_fact_recall_lexical": "summaries.baseline.key_fact_recall_lexical",
    # claim sentences: no baseline
    "claims.fidelity": "",
    "claims.lexical_precision": "",
    "claims.furniture": "",
    "claims.garbled": "",
    "claims.duplicates": "",
}


COUNTS = frozenset({"claims.furniture", "claims.garbled", "claims.duplicates"})


def headline_rows(report: dict[str, Any]) -> list[tuple[str, str, float, float | None]]:
    """(suite, metric, score, baseline) for every headline score present."""
    rows = []
    for suite, result in report["suites"].items():
        flat = flatten(result)
        for key, base in HEADLINES.items():
            if key in flat:
                rows.append((suite, key, flat[key], flat.get(base)))
    return rows


def cost_table(report: dict[str, Any]) -> list[str]:
    """What each task cost per suite: seconds per item, and prompt tokens with the share the
    server served from its prompt cache (a prefix that stopped being shared shows here)."""
    lines = [
        "",
        "| suite | task | items | median s | p95 s | prompt tokens | of them cached | generated |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for suite, result in report["suites"].items():
        for task, cost in (result.get("cost") or {}).items():
            if not cost or not cost.get("items"):
                continue
            prompt = cost.get("input_tokens", 0)
            cached = cost.get("cached_tokens", 0)
            share = f" ({cached / prompt:.0%})" if prompt else ""
            lines.append(
                f"| {suite} | {task} | {cost['items']} | {cost.get('seconds_median')} "
                f"| {cost.get('seconds_p95')} | {prompt:,} | {cached:,}{share} "
                f"| {cost.get('output_tokens', 0):,} |"
            )
    return lines if len(lines) > 3 else []


def markdown(report: dict[str, Any]) -> str:
    meta = report["meta"]
    lines = [
        "# claimcheck evaluation",
        "",
        f"- model: `{meta['model']}`; prompts: "
        + ", ".join(f"{k} `{v}`" for k, v in meta["prompts"].items()),
        "- packages: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        f"- suites: {', '.join(meta['suites'])}; limit: {meta['limit']}; "
        f"{meta['seconds']:.0f} s; peak RSS {meta['peak_rss_mb']} MB",
        f"- quotes exact: {report['quotes']['exact']} of {report['quotes']['total']} "
        f"({report['quotes']['exactness']})",
        "",
        "| suite | metric | claimcheck | baseline |",
        "|---|---|---:|---:|",
    ]
    for suite, key, score, base in headline_rows(report):
        lines.append(f"| {suite} | {key} | {score:.3f} | {'' if base is None else f'{base:.3f}'} |")
    lines += cost_table(report)
    for suite, result in report["suites"].items():
        lines += ["", f"## {suite}", "", "```json", json.dumps(result, indent=1), "```"]
    if report.get("skipped"):
        lines += ["", "## skipped", ""] + [f"- {s}: {why}" for s, why in report["skipped"].items()]
    return "\n".join(lines) + "\n"


PEER_CUT = "at 1"  # a peer's verdict: every statement supported, claimcheck's own rule


def bars(report: dict[str, Any]) -> list[tuple[str, dict[str, float]]]:
    """The scores plot's rows: the full metric name, and a value per system (claimcheck, its
    baseline and, on checking, every peer framework scored beside it)."""
    out = []
    for suite, key, score, base in headline_rows(report):
        if key in COUNTS:  # counts such as claims.garbled have no place on a 0..1 axis
            continue
        values = {"claimcheck": score}
        if base is not None:
            values["baseline"] = base
        if key == "checking.claimcheck.balanced_accuracy":
            checking = report["suites"][suite].get("checking", {})
            for peer in PEERS:
                cut = (checking.get(peer) or {}).get(PEER_CUT) or {}
                if isinstance(cut.get("balanced_accuracy"), int | float):
                    values[peer] = cut["balanced_accuracy"]
        out.append((f"{suite}: {key}", values))
    return out


def plots(report: dict[str, Any], latencies: dict[str, list[float]], out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = []
    rows = bars(report)
    if rows:
        systems = [s for s in ("claimcheck", "baseline", *PEERS) if any(s in v for _, v in rows)]
        height = 0.8 / len(systems)
        fig, ax = plt.subplots(figsize=(12, (0.25 + 0.2 * len(systems)) * len(rows) + 1.6))
        for n, system in enumerate(systems):
            offset = (n - (len(systems) - 1) / 2) * height
            ax.barh(
                [i + offset for i, (_, values) in enumerate(rows) if system in values],
                [values[system] for _, values in rows if system in values],
                height=height,
                label=system,
            )
        ax.set_yticks(range(len(rows)), [name for name, _ in rows])  # the full metric name
        ax.set_xlim(0, 1)
        ax.invert_yaxis()
        ax.legend(loc="lower right")
        title = f"claimcheck beside baselines and peers ({report['meta']['model']})"
        ax.set_title(title, fontsize=9)
        fig.tight_layout()
        fig.savefig(out / "scores.png", dpi=110)
        plt.close(fig)
        made.append(out / "scores.png")
    if latencies:
        fig, ax = plt.subplots(figsize=(7, 3.5))
        tasks = sorted(latencies)
        ax.boxplot([latencies[t] for t in tasks], tick_labels=tasks, vert=False)
        ax.set_xlabel("seconds per item")
        ax.set_title("latency")
        fig.tight_layout()
        fig.savefig(out / "latency.png", dpi=110)
        plt.close(fig)
        made.append(out / "latency.png")
    return made


def check_floors(report: dict[str, Any], floors: dict[str, dict[str, Any]]) -> list[str]:
    """Scores below their committed floor (or above a ``{"max": n}`` ceiling), as lines."""
    failures = []
    for suite, wanted in floors.items():
        if suite not in report["suites"]:
            continue
        flat = flatten(report["suites"][suite])
        for key, floor in wanted.items():
            value = flat.get(key)
            if value is None:
                failures.append(f"{suite} {key}: missing from the report (floor {floor})")
            elif isinstance(floor, dict) and value > floor["max"]:
                failures.append(f"{suite} {key}: {value} is above the ceiling {floor['max']}")
            elif not isinstance(floor, dict) and value < floor:
                failures.append(f"{suite} {key}: {value} is below the floor {floor}")
    return failures


def compare(a_path: Path, b_path: Path) -> str:
    """A markdown table of every numeric result of two report.json files and the change."""
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (a_path, b_path))
    fa, fb = flatten(a["suites"]), flatten(b["suites"])
    lines = [
        f"A: {a_path} ({a['meta']['model']}, {a['meta']['started']})",
        f"B: {b_path} ({b['meta']['model']}, {b['meta']['started']})",
        "",
        "| result | A | B | B - A |",
        "|---|---:|---:|---:|",
    ]
    for key in sorted(fa.keys() | fb.keys()):
        va, vb = fa.get(key), fb.get(key)
        delta = f"{vb - va:+.4g}" if va is not None and vb is not None else ""
        show = lambda v: "" if v is None else f"{v:.4g}"  # noqa: E731
        lines.append(f"| {key} | {show(va)} | {show(vb)} | {delta} |")
    return "\n".join(lines) + "\n"
