from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.errors import InputError
from claimcheck.sources import ArticleInput, decode, expand_paths, html_to_text, read_file


def test_html_to_text_keeps_visible_text_as_paragraphs() -> None:
    html = """<!doctype html><html><head><title>Tunnel &amp; bridge</title>
    <style>p { color: red }</style><script>alert("x")</script></head>
    <body><nav>Home</nav><h1>Council approves tunnel</h1>
    <p>Mayor Ruiz said it was &ldquo;historic&rdquo;.<br>Wren   disagreed.</p>
    <div>Costs: <b>$2.4 billion</b></div><script>document.write("hidden")</script></body></html>"""
    text, title = html_to_text(html)
    assert title == "Tunnel & bridge"
    assert text == (
        "Home\n\nCouncil approves tunnel\n\nMayor Ruiz said it was “historic”.\n\n"
        "Wren disagreed.\n\nCosts: $2.4 billion"
    )
    assert "alert" not in text and "hidden" not in text and "color" not in text


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
    (b,) = read_file(tmp_path / "b.html")
    assert isinstance(b, ArticleInput) and b.text == "Para one.\n\nPara two." and b.title == "b"
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
