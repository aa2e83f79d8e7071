"""Page furniture is recognized by a line's form, and article prose never is."""

from __future__ import annotations

import pytest

from claimcheck.furniture import furniture, line_kind

from .articles import EXAMPLE, ORCHARD


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("READ MORE: Gaza war reaches ‘new and horrific stage’, South Africa argues", "teaser"),
        ("Related: Ferry fares to rise by a fifth", "teaser"),
        ("WATCH | The minister speaks to reporters", "teaser"),
        ("Read more", "teaser"),
        ("Leave a Reply", "comments"),
        ("Your email address will not be published. Required fields are marked *", "comments"),
        ("12 comments", "comments"),
        ("Sign up for our newsletter and get the day's top stories in your inbox.", "prompt"),
        ("We use cookies to improve your experience. Accept all cookies", "prompt"),
        ('"Follow Ines Varga on Twitter @ivarga."', "prompt"),
        ("Photo: Getty Images", "credit"),
        ("The minister arrives in Essel. (Photo: Reuters/Jonas Vidal)", "credit"),
        ("Share this article: Facebook Twitter Email", "share"),
        ("By Petra Aaltonen", "byline"),
        ("Updated 21 May 2026, 14:05", "timestamp"),
        ("6:05 p.m.", "timestamp"),
        ("Mounting international pressure over Ukraine", "heading"),
    ],
)
def test_furniture_lines(line: str, kind: str) -> None:
    assert line_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "Mayor Ana Ruiz said the tunnel would open in 2033.",
        "Clinton wants to sign up 5 million people for the program.",  # "sign up" in prose
        "The Reuters/Ipsos poll showed Clinton doing better than in other polls.",
        "“China hopes for peace and stability in Europe soon,” Xi said",  # no final stop
        "Obama on Climate Change: The Trends Are 'Terrifying.'",  # a headline with a quote
        "By the end of the year, the port will handle more grain than ever.",
        "More than 120 dockers lost their jobs.",
        "Fans follow the team on Twitter every day and cheer.",
    ],
)
def test_article_lines_are_not_furniture(line: str) -> None:
    assert line_kind(line) is None


def test_a_hard_wrapped_paragraph_has_no_headings() -> None:
    text = "Editor's note: Donald Trump regularly\nincites\npolitical violence.\n\nHeading here\n"
    kinds = [(text[f.span.start : f.span.end], f.kind) for f in furniture(text)]
    assert kinds == [("Heading here", "heading")]


def test_the_project_articles_are_all_prose_but_their_headlines() -> None:
    for text in (EXAMPLE.read_text(encoding="utf-8"), ORCHARD):
        found = furniture(text)
        assert all(f.kind == "heading" for f in found)
        assert all(f.span.start < text.index("\n") + 1 for f in found), "only the first line"
