"""The eval command: its metrics, report, plots, floors, comparison and resuming; and the CI
smoke run over three of the project's own articles with the real embedded model."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from evals import calibrate, run
from evals import report as report_module
from evals.loaders import DataMissing, load_qags, load_summedits
from evals.metrics import label_scores, word_recall

ROOT = Path(__file__).resolve().parent.parent


def test_label_scores_average_the_recall_of_each_gold_label() -> None:
    gold = ["supported", "supported", "refuted", "not_enough_info"]
    pred = ["supported", "refuted", "refuted", "supported"]
    scores = label_scores(gold, pred, run.LABELS)
    assert scores["recall"] == {"supported": 0.5, "refuted": 1.0, "not_enough_info": 0.0}
    assert scores["balanced_accuracy"] == 0.5 and scores["accuracy"] == 0.5
    assert scores["confusion"]["supported"] == {
        "supported": 1,
        "refuted": 1,
        "not_enough_info": 0,
    }


def test_word_recall_counts_numbers_and_ignores_stop_words() -> None:
    assert word_recall("$3.50", "The toll will be $3.50 a crossing.") == 1.0
    assert word_recall("review the cost estimate", "to review the estimate") == 2 / 3
    assert word_recall("the", "anything") == 1.0  # nothing to find


def report(score: float, baseline: float, exact: int = 5) -> dict:
    return {
        "suites": {
            "own": {
                "checking": {
                    "claimcheck": {"balanced_accuracy": score},
                    "baseline": {"balanced_accuracy": baseline},
                },
                "qa": {"claimcheck": {"answer_fact_recall": None}},
            }
        },
        "skipped": {},
        "quotes": {"exact": exact, "total": 5, "exactness": exact / 5},
        "meta": {
            "model": "local:test",
            "started": "2026-11-27T00:00:00+00:00",
            "prompts": {"check": "abc"},
            "versions": {"python": "3.11"},
            "suites": ["own"],
            "limit": 3,
            "seconds": 1.0,
            "peak_rss_mb": 1,
        },
    }


def test_the_markdown_report_puts_each_score_beside_its_baseline() -> None:
    text = report_module.markdown(report(0.75, 0.5))
    row = next(line for line in text.splitlines() if "balanced_accuracy" in line)
    assert row == "| own | checking.claimcheck.balanced_accuracy | 0.750 | 0.500 |"
    assert "quotes exact: 5 of 5" in text and "local:test" in text


def test_plots_are_written(tmp_path: Path) -> None:
    made = report_module.plots(report(0.75, 0.5), {"check": [1.0, 2.0, 4.0]}, tmp_path)
    assert [p.name for p in made] == ["scores.png", "latency.png"]
    for path in made:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_scores_plot_has_a_bar_per_system_and_the_peers_beside_checking(
    tmp_path: Path,
) -> None:
    data = report(0.75, 0.5)
    data["suites"]["summedits"] = {
        "checking": {
            "claimcheck": {"balanced_accuracy": 0.7},
            "baseline": {"balanced_accuracy": 0.6},
            "ragas": {"failed": 3, "at 1": {"balanced_accuracy": 0.55}, "at 0.5": None},
            "deepeval": {"failed": 10, "at 1": None},  # failed on every item: no bar
        },
        "attribution": {"pipeline": {"span+speaker": {"f1": 0.6}, "span": {"f1": 0.7}}},
    }
    rows = dict(report_module.bars(data))
    assert rows["summedits: checking.claimcheck.balanced_accuracy"] == {
        "claimcheck": 0.7,
        "baseline": 0.6,
        "ragas": 0.55,
    }
    # two attribution scores, two names: span+speaker and span are told apart
    assert rows["summedits: attribution.pipeline.span+speaker.f1"] == {"claimcheck": 0.6}
    assert rows["summedits: attribution.pipeline.span.f1"] == {"claimcheck": 0.7}
    made = report_module.plots(data, {}, tmp_path)
    assert made[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_floors_name_every_score_below_them_and_missing_ones() -> None:
    floors = {"own": {"checking.claimcheck.balanced_accuracy": 0.8, "qa.claimcheck.x": 0.1}}
    failures = report_module.check_floors(report(0.75, 0.5), floors)
    assert failures == [
        "own checking.claimcheck.balanced_accuracy: 0.75 is below the floor 0.8",
        "own qa.claimcheck.x: missing from the report (floor 0.1)",
    ]
    assert report_module.check_floors(report(0.85, 0.5), floors) == failures[1:]
    assert report_module.check_floors(report(0.85, 0.5), {"polnear": {"a": 1.0}}) == []


def test_compare_prints_the_change_of_every_score(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(report(0.6, 0.5)))
    b.write_text(json.dumps(report(0.7, 0.5)))
    text = report_module.compare(a, b)
    assert "| own.checking.claimcheck.balanced_accuracy | 0.6 | 0.7 | +0.1 |" in text
    assert "| own.checking.baseline.balanced_accuracy | 0.5 | 0.5 | +0 |" in text


def test_items_are_computed_once_and_resumed_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    calls = []

    def compute() -> dict:
        calls.append(1)
        return {"value": len(calls)}

    assert run.Items(path).get("a", compute)["value"] == 1
    again = run.Items(path)  # a new run on the same folder
    assert again.get("a", compute)["value"] == 1 and len(calls) == 1
    assert again.get("b", compute)["value"] == 2


def test_missing_benchmark_files_are_a_clear_skip_reason(tmp_path: Path) -> None:
    with pytest.raises(DataMissing, match="SummEdits news not found at"):
        load_summedits(tmp_path / "nope.json")
    with pytest.raises(DataMissing, match="QAGS"):
        load_qags(tmp_path / "nope.jsonl")


def test_limit_draws_a_fixed_sample_across_documents() -> None:
    try:
        items = load_summedits(limit=20)
    except DataMissing as exc:
        pytest.skip(str(exc))
    assert items == load_summedits(limit=20), "the same seed gives the same items"
    assert len(items) == 20 and len({i.doc for i in items}) > 2


def test_calibration_items_are_held_out_of_the_reported_sample() -> None:
    try:
        reported = {i.id for i in load_summedits(limit=run.REPORTED_LIMIT)}
        held = calibrate.held_out("summedits", 50)
    except DataMissing as exc:
        pytest.skip(str(exc))
    assert len(held) == 50 and not reported & {i.id for i in held}
    assert held == calibrate.held_out("summedits", 50), "a fixed seed"


def _row(gold: bool, *sentences: tuple[float | None, bool]) -> dict:
    return {"gold": gold, "sentences": [{"support": s, "flagged": f} for s, f in sentences]}


def test_calibration_counts_every_sentence_and_the_codes_findings() -> None:
    assert calibrate.predicted(_row(True, (0.9, False), (0.7, False)), 0.7)
    assert not calibrate.predicted(_row(True, (0.9, False), (0.6, False)), 0.7)
    assert not calibrate.predicted(_row(True, (0.9, True)), 0.5), "a finding overrules"
    assert not calibrate.predicted(_row(True, (None, False)), 0.0), "not asked: not supported"


def test_calibration_picks_a_plateau_over_a_lone_peak() -> None:
    means = [(0.5, 0.7), (0.55, 0.8), (0.6, 0.8), (0.65, 0.8), (0.7, 0.6), (0.75, 0.85), (0.8, 0.5)]
    table = [{"threshold": t, "mean": m} for t, m in means]
    assert calibrate.pick(table, window=0.06)["threshold"] == 0.6
    assert calibrate.pick(table, window=0.0)["threshold"] == 0.75, "no window: the peak"


def test_calibration_sweep_scores_each_suite_at_each_support_value() -> None:
    steady = [_row(True, (0.8, False)), _row(False, (0.2, False))]
    flagged = [_row(True, (0.9, True)), _row(False, (0.1, False))]
    table = calibrate.sweep({"steady": steady, "flagged": flagged})
    assert [r["threshold"] for r in table] == [0.1, 0.2, 0.5, 0.8, 0.9]
    at = {r["threshold"]: r for r in table}
    assert at[0.5]["steady"] == 1.0 and at[0.5]["flagged"] == 0.5 and at[0.5]["mean"] == 0.75
    assert at[0.9]["steady"] == 0.5


def _signal_row(gold: bool, *supports: float, conflicting: float = 0.0) -> dict:
    def signals(support: float) -> dict:
        return {"support": support, "conflicting": conflicting, "overlap": 1.0}

    return {"gold": gold, "sentences": [{"signals": signals(s), "support": 0.5} for s in supports]}


def test_the_calibrated_decision_learns_which_signals_count_and_which_way() -> None:
    from claimcheck.check import calibrated

    rng = random.Random(3)
    rows = {
        "a": [_signal_row(True, rng.uniform(0.5, 3), rng.uniform(0.5, 3)) for _ in range(30)]
        + [_signal_row(False, rng.uniform(-3, -0.5), rng.uniform(1, 3)) for _ in range(30)],
        "b": [_signal_row(True, rng.uniform(0, 3)) for _ in range(20)]
        + [_signal_row(False, rng.uniform(-1, 3), conflicting=1.0) for _ in range(20)],
    }
    data = calibrate.examples(rows)
    # an inconsistent summary gives only its least supported sentence
    assert len(data) == 60 + 30 + 20 + 20
    weights = calibrate.fit(data)
    assert weights["support"] > 0 and weights["conflicting"] < 0
    assert calibrated(weights, {"support": 2.0}) > 0.5 > calibrated(weights, {"support": -2.0})
    decision = calibrate.with_cut(weights, rows)
    for suite, suite_rows in rows.items():
        verdicts = [calibrate.calibrated_verdict(r, decision["weights"], 0.5) for r in suite_rows]
        assert verdicts == [r["gold"] for r in suite_rows], suite
    assert set(calibrate.cross_validated(rows)) == {"a", "b"}


@pytest.mark.model
@pytest.mark.timeout(2400)  # the real model on a shared CPU: slower than the suite's 20 minutes
def test_eval_smoke_on_two_own_articles(tmp_path: Path, model_file: Path, monkeypatch) -> None:
    """What CI runs: quotes must be exact and scores at or above the committed floors."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    code = run.main(
        ["--suite", "own", "--limit", "2", "--out", str(tmp_path), "--model", str(model_file),
         "--floors", str(ROOT / "evals" / "floors.json")]
    )  # fmt: skip
    result = json.loads((tmp_path / "report.json").read_text())
    assert code == 0, result.get("problems")
    assert result["quotes"]["total"] > 0 and result["quotes"]["exactness"] == 1.0
    own = result["suites"]["own"]
    assert own["articles"] == 2 and own["checking"]["claimcheck"]["items"] >= 8
    for name in ("report.md", "scores.png", "latency.png", "items.jsonl"):
        assert (tmp_path / name).stat().st_size > 0


def test_items_are_computed_concurrency_at_a_time_each_once(tmp_path: Path) -> None:
    import threading
    import time

    items = run.Items(tmp_path / "items.jsonl")
    lock, running, peak, calls = threading.Lock(), [0], [0], []

    def make(n: int):
        def compute() -> dict:
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
                calls.append(n)
            time.sleep(0.05)
            with lock:
                running[0] -= 1
            return {"n": n}

        return compute

    work = [(f"k{n}", make(n)) for n in range(12)]
    items.get("k0", make(0))  # done already: not again
    items.prefetch(work, workers=3)
    assert sorted(calls) == list(range(12)) and peak[0] == 3
    again = run.Items(tmp_path / "items.jsonl")
    assert [again.get(k, make(-1))["n"] for k, _ in work] == list(range(12))
    calls.clear()
    run.Items(tmp_path / "other.jsonl").prefetch(work, workers=1)
    assert calls == [], "one worker: the loop computes each in turn"


def test_a_peer_failing_is_reported_as_a_failure_not_a_score() -> None:
    from evals import peers

    def broken(text: str, document: str) -> float:
        raise ValueError("the model's JSON could not be parsed")

    rows = [
        peers.score_item(lambda t, d: 1.0, "a", "doc", True),
        peers.score_item(lambda t, d: 0.5, "b", "doc", False),
        peers.score_item(lambda t, d: float("nan"), "c", "doc", True),
        peers.score_item(broken, "d", "doc", False),
    ]
    assert [r["score"] for r in rows] == [1.0, 0.5, None, None]
    assert rows[2]["error"].startswith("NaN") and "could not be parsed" in rows[3]["error"]
    scores = peers.summary(rows)
    assert scores["items"] == 4 and scores["failed"] == 2 and scores["failed_share"] == 0.5
    assert scores["at 1"]["balanced_accuracy"] == 1.0, "of the two it scored"
    assert scores["at 0.5"]["balanced_accuracy"] == 0.5, "0.5 counts the wrong one consistent"
    # counted wrong, the failures pull it down: the NaN one was consistent, the broken one not
    assert scores["at 1, failures counted wrong"]["balanced_accuracy"] == 0.5


def test_an_unknown_peer_is_refused() -> None:
    from evals import peers

    with pytest.raises(ValueError, match="unknown peer 'minicheck'"):
        peers.scorer("minicheck", "http://127.0.0.1:1/v1", "m")
    with pytest.raises(SystemExit):
        run.main(["--suite", "summedits", "--peers", "minicheck"])


def test_a_recorded_run_is_scored_at_another_threshold_without_the_model(tmp_path: Path) -> None:
    rows = [
        {"key": "qags/1.0"} | _row(True, (0.9, False)),
        {"key": "qags/2.0"} | _row(False, (0.7, False)),
        {"key": "qags/3.0"} | _row(False, (0.95, True)),  # flagged by the code's findings
        {"key": "summedits/x"} | _row(True, (0.8, False), (0.75, False)),
        {"key": "own/check/a/0", "gold": "supported"},  # another suite's row: not counted
    ]
    (tmp_path / "items.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    low = calibrate.score_recorded(tmp_path, 0.6)
    high = calibrate.score_recorded(tmp_path, 0.8)
    assert low["qags"]["items"] == 3 and low["summedits"]["items"] == 1
    assert low["qags"]["claimcheck"]["balanced_accuracy"] == 0.75  # 2.0 wrongly supported
    assert high["qags"]["claimcheck"]["balanced_accuracy"] == 1.0
    assert high["qags"]["support alone"]["balanced_accuracy"] == 0.75, "3.0 supported alone"
    assert high["summedits"]["claimcheck"]["recall_consistent"] == 0.0, "0.75 is below 0.8"


def test_a_recorded_run_is_scored_with_the_calibrated_decision_without_the_model(
    tmp_path: Path,
) -> None:
    rows = [
        ("summedits/a", _signal_row(True, 2.0)),
        ("summedits/b", _signal_row(False, 2.0, conflicting=1.0)),  # a finding, support high
        ("summedits/c", _signal_row(False, -2.0)),
    ]
    for _, row in rows:  # the threshold rule reads the support probability and the flag
        row["sentences"][0]["flagged"] = False
    (tmp_path / "items.jsonl").write_text(
        "".join(json.dumps({"key": key, **row}) + "\n" for key, row in rows), "utf-8"
    )
    weights = {"bias": 0.0, "support": 1.0, "conflicting": -5.0}
    scored = calibrate.score_recorded(tmp_path, 0.5, weights)["summedits"]
    assert scored["items"] == 3
    assert scored["calibrated decision"]["balanced_accuracy"] == 1.0
    assert scored["support alone"]["balanced_accuracy"] == 0.5  # every support 0.5: all "yes"
    assert "calibrated decision" not in calibrate.score_recorded(tmp_path, 0.5)["summedits"]


def test_each_overrule_rule_names_the_findings_that_overrule_the_support() -> None:
    from evals import overrules

    def sentence(support: float, **found: float) -> dict:
        signals = {"missing": 0.0, "conflicting": 0.0, "negation": 0.0, "similarity": 0.5}
        return {"support": support, "signals": signals | found}

    missing, conflicting = sentence(0.9, missing=1.0), sentence(0.9, conflicting=1.0)
    rules = overrules.RULES
    assert not overrules.supported(missing, 0.6, rules["all"])
    assert overrules.supported(missing, 0.6, rules["conflict"])
    assert not overrules.supported(conflicting, 0.6, rules["conflict"])
    assert overrules.supported(conflicting, 0.6, rules["none"])
    assert not overrules.supported(sentence(0.5), 0.6, rules["none"]), "below the threshold"
    row = {"sentences": [sentence(0.9), missing]}
    assert overrules.consistent(row, 0.6, rules["conflict"])
    assert not overrules.consistent(row, 0.6, rules["all"]), "every sentence must be supported"
    # the own suite's three labels: a conflicting fact refutes what is not supported
    own = {"support": 0.3, "contradiction": None, "signals": conflicting["signals"]}
    assert overrules.own_label(own, 0.6, rules["none"]) == "refuted"
    own["signals"] = sentence(0.3)["signals"]
    assert overrules.own_label(own, 0.6, rules["none"]) == "not_enough_info"
    own["support"] = 0.8
    assert overrules.own_label(own, 0.6, rules["none"]) == "supported"
