"""How much of a web page's boilerplate reaches the stored text: the hand-written stripper
claimcheck used before (kept here as the baseline) against trafilatura, on the project's own
test pages (tests/pages, each with its article paragraphs and boilerplate in gold.json).

    python -m evals.boilerplate

A page's boilerplate words are its visible words that are not the article's; the share that
reaches the stored text is counted word by word (a word of the article is never counted).
"""

from __future__ import annotations

import collections
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from claimcheck.errors import InputError
from claimcheck.web import decode_html, page_article

PAGES = Path(__file__).resolve().parent.parent / "tests" / "pages"


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page: block elements become paragraphs, scripts are dropped."""

    BLOCKS = {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote",
        "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "pre", "figure",
        "figcaption", "br", "hr", "dd", "dt", "nav", "form",
    }  # fmt: skip
    HIDDEN = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._hidden = 0
        self._in_title = False
        self.title: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self.HIDDEN:
            self._hidden += 1
        elif tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = ((self.title or "") + data).strip() or None
        elif not self._hidden:
            self._current.append(data)

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._current)).strip()
        if text:
            self.paragraphs.append(text)
        self._current = []

    def text(self) -> str:
        self._flush()
        return "\n\n".join(self.paragraphs)


def html_to_text(html: str) -> tuple[str, str | None]:
    """The visible text of an HTML document, paragraphs separated by blank lines, and its title."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text(), parser.title


def stripped(html: str) -> str:
    """The baseline: every visible text of the page, block elements as paragraphs."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text()


def extracted(html: str, name: str) -> str:
    try:
        return page_article(html, name).text
    except InputError:
        return ""  # refused: no main content, nothing stored


def _words(text: str) -> collections.Counter[str]:
    return collections.Counter(w.lower() for w in re.findall(r"\w+", text))


def measure() -> dict[str, dict[str, float]]:
    gold = json.loads((PAGES / "gold.json").read_text(encoding="utf-8"))
    rows: dict[str, dict[str, float]] = {}
    totals = collections.Counter[str]()
    for name, page in gold.items():
        html = decode_html((PAGES / name).read_bytes(), name)
        article = _words("\n".join(page["article"]))
        boilerplate = _words(stripped(html)) - article
        row = {"boilerplate words": float(sum(boilerplate.values()))}
        for label, text in (("stripper", stripped(html)), ("trafilatura", extracted(html, name))):
            leaked = sum(((_words(text) - article) & boilerplate).values())
            kept = sum((_words(text) & article).values())
            row[f"{label} leaked"] = float(leaked)
            if article:
                row[f"{label} article kept"] = kept / sum(article.values())
            totals[f"{label} leaked"] += leaked
        totals["boilerplate words"] += int(row["boilerplate words"])
        rows[name] = row
    rows["all pages"] = {k: float(v) for k, v in totals.items()}
    return rows


def main() -> None:
    rows = measure()
    head = "| page | boilerplate words | leaked, stripper | leaked, trafilatura |"
    print(head + " article words kept, trafilatura |")
    print("|---|---:|---:|---:|---:|")
    for name, row in rows.items():
        total = row["boilerplate words"] or 1
        kept = row.get("trafilatura article kept")
        print(
            f"| {name} | {row['boilerplate words']:.0f} "
            f"| {row['stripper leaked']:.0f} ({row['stripper leaked'] / total:.0%}) "
            f"| {row['trafilatura leaked']:.0f} ({row['trafilatura leaked'] / total:.0%}) "
            f"| {'—' if kept is None else f'{kept:.0%}'} |"
        )


if __name__ == "__main__":
    main()
