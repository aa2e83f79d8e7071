from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .articles import EXAMPLE, ORCHARD, SUMMIT


def write_batch(folder: Path) -> None:
    (folder / "nested").mkdir(parents=True)
    (folder / "harbor.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "nested" / "orchard.md").write_text(ORCHARD, encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>Summit page</title><script>evil()</script></head>"
        f"<body><p>{SUMMIT}</p></body></html>",
        encoding="utf-8",
    )
    (folder / "wire.jsonl").write_text(
        json.dumps({"text": "Officials said the port reopened on Monday.", "source": "Wire"})
        + "\n{broken\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "blank.txt").write_text("  \n\n\t ", encoding="utf-8")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "latin1.txt").write_bytes("Café au lait, said the mayor.".encode("latin-1"))
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")


def test_batch_ingest_stores_good_files_and_names_each_bad_one(run, tmp_path: Path) -> None:
    write_batch(tmp_path / "in")
    code, report, stderr = run("ingest", str(tmp_path / "in"), "--json")
    assert code == 1, "some files failed"
    assert len(report["ingested"]) == 4
    reasons = {Path(f["source"]).name: f["reason"] for f in report["failed"]}
    assert set(reasons) == {"wire.jsonl:2", "empty.txt", "blank.txt", "image.txt", "latin1.txt",
                            "notes.pdf"}  # fmt: skip
    assert "empty" in reasons["empty.txt"] and "empty" in reasons["blank.txt"]
    assert "binary" in reasons["image.txt"]
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "unknown extension '.pdf'" in reasons["notes.pdf"]
    assert "invalid JSON" in reasons["wire.jsonl:2"]
    assert "image.txt: binary" in stderr, "errors are also told on stderr"

    code, listed, _ = run("list", "--json")
    assert code == 0
    assert {a["title"] for a in listed} == {
        "Port Merrow council approves $2.4 billion harbor tunnel after nine-hour debate",
        "Late frost threatens Valdera apple harvest",
        "Summit page",
        "Officials said the port reopened on Monday.",
    }
    assert all("text" not in a for a in listed), "listings leave the text out"


def test_nothing_ingested_exits_2_and_leaves_the_store_alone(run, tmp_path: Path) -> None:
    code, _, _ = run("ingest", str(EXAMPLE))
    assert code == 0
    (tmp_path / "empty.txt").write_text("")
    code, report, _ = run(
        "ingest", str(tmp_path / "empty.txt"), str(tmp_path / "gone.txt"), "--json"
    )
    assert code == 2
    assert report["ingested"] == [] and len(report["failed"]) == 2
    assert "no such file" in report["failed"][1]["reason"]
    _, listed, _ = run("list", "--json")
    assert len(listed) == 1


def test_ingest_from_stdin_with_metadata(run) -> None:
    code, report, _ = run(
        "ingest", "-", "--title", "Frost", "--source", "Valdera Courier",
        "--published", "2026-04-09", "--url", "https://example.org/frost", "--json",
        stdin=ORCHARD,
    )  # fmt: skip
    assert code == 0, report
    (article,) = report["ingested"]
    assert article["title"] == "Frost" and article["source"] == "Valdera Courier"
    assert article["published"].startswith("2026-04-09")
    code, shown, _ = run("show", article["id"], "--chunks", "--json")
    assert code == 0
    assert shown["text"] == ORCHARD
    assert all(ORCHARD[c["start"] : c["end"]] == c["text"] for c in shown["chunks"])


def test_bad_metadata_and_options_are_usage_errors(run, tmp_path: Path) -> None:
    code, payload, _ = run("ingest", str(EXAMPLE), "--published", "last tuesday", "--json")
    assert code == 2 and "published" in payload["failed"][0]["reason"]
    code, payload, _ = run("ingest", str(tmp_path), "--title", "x", "--json")
    assert code == 2 and "exactly one file" in payload["error"]["message"]


def test_show_search_delete_and_unknown_ids(run) -> None:
    _, report, _ = run("ingest", str(EXAMPLE), "--json")
    article_id = report["ingested"][0]["id"]
    code, hits, _ = run("search", "toll per crossing", "-k", "2", "--json")
    assert code == 0 and len(hits) == 2
    assert hits[0]["article_id"] == article_id and "$3.50" in hits[0]["text"]
    text = EXAMPLE.read_text(encoding="utf-8")
    assert all(text[h["start"] : h["end"]] == h["text"] for h in hits)

    code, error, _ = run("show", "ffffffffffffffff", "--json")
    assert code == 1 and error["error"]["type"] == "NotFound"
    code, _, stderr = run("show", "ffffffffffffffff")
    assert code == 1 and "no stored article has id 'ffffffffffffffff'" in stderr

    code, deleted, _ = run("delete", article_id, "--json")
    assert code == 0 and deleted == {"deleted": article_id}
    code, listed, _ = run("list", "--json")
    assert listed == []
    code, hits, _ = run("search", "toll", "--json")
    assert code == 0 and hits == []


def test_the_installed_command_runs_end_to_end(home: Path) -> None:
    env = {**os.environ, "CLAIMCHECK_HOME": str(home)}
    command = [str(Path(sys.executable).parent / "claimcheck")]
    done = subprocess.run(
        [*command, "ingest", str(EXAMPLE), "--json"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    article_id = json.loads(done.stdout)["ingested"][0]["id"]
    done = subprocess.run(
        [*command, "search", "referendum", "--json", "-k", "1"], env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["article_id"] == article_id
    assert done.stderr == "", "no progress bar or warning when stderr is not a terminal"
