from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.errors import InputError
from claimcheck.models import ArticleInput
from claimcheck.sources import decode, expand_paths, read_file


def test_a_saved_page_is_read_without_its_scripts_and_menus(tmp_path: Path) -> None:
    body = " ".join(["The council met on Monday and approved the harbour tunnel plan."] * 8)
    html = f"""<!doctype html><html><head><title>Tunnel &amp; bridge</title>
    <style>p {{ color: red }}</style><script>alert("x")</script></head>
    <body><nav><a href="/">Home</a> <a href="/news">News</a></nav><h1>Council approves tunnel</h1>
    <p>Mayor Ruiz said it was &ldquo;historic&rdquo;.</p><p>{body}</p>
    <script>document.write("hidden")</script></body></html>"""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (item,) = read_file(tmp_path / "page.html")
    assert isinstance(item, ArticleInput) and item.title == "Council approves tunnel"  # the <h1>
    assert item.text.startswith("Mayor Ruiz said it was “historic”.\n\nThe council met")
    assert "alert" not in item.text and "hidden" not in item.text and "Home" not in item.text


def test_decode_rejects_binary_and_other_encodings() -> None:
    with pytest.raises(InputError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "x.txt")
    with pytest.raises(InputError, match="not UTF-8.*0xe9"):
        decode("Café".encode("latin-1"), "x.txt")
    assert decode("\ufeffHello".encode(), "x.txt") == "Hello"


def test_read_file_by_extension(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Heading\n\nBody text.", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>Para one.</p><p>Para two.</p>", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        '{"text": "One.", "title": "T1", "source": "S", "published": "2026-03-14"}\n'
        "\n"
        "not json\n"
        '{"title": "no text"}\n'
        '{"text": "Two.", "url": "https://example.org/2"}\n',
        encoding="utf-8",
    )
    (a,) = read_file(tmp_path / "a.md")
    assert isinstance(a, ArticleInput) and a.title == "# Heading" and a.text.endswith("Body text.")
    with pytest.raises(InputError, match="no article on the page: its main content is only 4"):
        list(read_file(tmp_path / "b.html"))  # two short lines are no article
    items = list(read_file(tmp_path / "c.jsonl"))
    assert [type(i).__name__ for i in items] == [
        "ArticleInput",
        "InputError",
        "InputError",
        "ArticleInput",
    ]
    first, bad_json, no_text, last = items
    assert isinstance(first, ArticleInput) and first.published is not None
    assert first.published.isoformat().startswith("2026-03-14")
    assert isinstance(bad_json, InputError) and bad_json.source == f"{tmp_path / 'c.jsonl'}:3"
    assert isinstance(no_text, InputError) and "text" in no_text.reason
    assert isinstance(last, ArticleInput) and last.url == "https://example.org/2"


def test_read_file_names_unknown_extensions_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match=r"unknown extension '\.pdf'"):
        list(read_file(tmp_path / "a.pdf"))
    with pytest.raises(InputError, match="no such file"):
        list(read_file(tmp_path / "missing.txt"))


def test_expand_paths_recurses_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub" / ".git").mkdir(parents=True)
    for name in ("b.txt", "a.txt", "sub/c.md", "sub/.git/x.txt", ".hidden.txt"):
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])]
    assert found == ["a.txt", "b.txt", "sub/c.md"]
