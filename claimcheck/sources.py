"""Reading articles from files: plain text, Markdown, HTML (through :mod:`claimcheck.web`),
JSON Lines, and standard input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from .errors import InputError, validation_message
from .models import ArticleInput
from .web import decode_html, page_article

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


def refuse_binary(data: bytes, origin: str) -> None:
    """Binary data (NUL bytes near the start) is an :class:`InputError`, whatever its name."""
    if b"\x00" in data[:8192]:
        raise InputError("binary data, not text (it contains NUL bytes)", origin)


def decode(data: bytes, origin: str) -> str:
    """UTF-8 text from bytes; binary data and other encodings are an :class:`InputError`."""
    refuse_binary(data, origin)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", origin
        ) from exc


def first_line_title(text: str) -> str | None:
    """The first line, when it is short enough to be a headline."""
    first = text.strip().split("\n", 1)[0].strip()
    return first if 0 < len(first) <= 200 else None


def read_file(path: Path) -> Iterator[ArticleInput | InputError]:
    """The articles in one file; a bad file raises :class:`InputError`.

    A bad line in a JSON Lines file is yielded as an InputError instance rather than raised, so
    the good lines of the same file are still read.
    """
    origin = str(path)
    if not path.exists():
        raise InputError("no such file or folder", origin)
    _check_suffix(path.name, origin)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", origin) from exc
    yield from parse(data, path.name, origin)


def read_upload(data: bytes, filename: str) -> ArticleInput:
    """The one article of an uploaded file, read as a file of that name would be."""
    _check_suffix(filename, filename)
    items = list(parse(data, filename, filename))
    if len(items) != 1:
        raise InputError(f"holds {len(items)} articles; upload one article a file", filename)
    if isinstance(items[0], InputError):
        raise items[0]
    return items[0]


def parse(data: bytes, filename: str, origin: str) -> Iterator[ArticleInput | InputError]:
    """The articles in a file's bytes, read by the file name's extension."""
    suffix = Path(filename).suffix.lower()
    stem = Path(filename).stem
    if suffix in HTML_SUFFIXES:  # a saved web page: the article without the page around it
        refuse_binary(data, origin)
        item = page_article(decode_html(data, origin), origin)
        yield item if item.title else item.model_copy(update={"title": stem})
        return
    text = decode(data, origin)
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(text, origin)
    else:
        yield ArticleInput(text=text, title=first_line_title(text) or stem, origin=origin)


def _check_suffix(filename: str, origin: str) -> None:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        known = ", ".join(sorted(SUFFIXES))
        raise InputError(
            f"unknown extension {suffix or '(none)'!r}; expected one of {known}", origin
        )


def read_jsonl(text: str, origin: str) -> Iterator[ArticleInput | InputError]:
    """One article per non-blank line: ``{"text", "title", "source", "url", "published"}``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"invalid JSON: {exc.msg} (column {exc.colno})", where)
            continue
        if not isinstance(record, dict):
            yield InputError("expected a JSON object with a 'text' field", where)
            continue
        try:
            yield ArticleInput.model_validate({**record, "origin": where})
        except ValidationError as exc:
            yield InputError(validation_message(exc.errors()), where)


def expand_paths(paths: list[Path]) -> Iterator[Path]:
    """Files named directly, and every non-hidden file below a named folder, in sorted order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden:
                    yield child
        else:
            yield path
