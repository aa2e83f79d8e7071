"""``/quotes`` (who said what, across every stored article) and ``/speakers``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ..models import ClaimHit, Speaker
from ..text import SOME_TEXT
from .schemas import ARTICLE_ID, ERRORS, WrittenDate
from .service import ClientDep

router = APIRouter(responses=ERRORS)


@router.get("/quotes", response_model=list[ClaimHit])
def quotes(
    cc: ClientDep,
    q: Annotated[
        str | None,
        Query(max_length=2000, description="A topic; without one, the newest claims first."),
    ] = None,
    speaker: Annotated[
        str | None,
        Query(
            max_length=200,
            pattern=SOME_TEXT,
            description="Who said it: 'Putin' finds 'President Vladimir Putin'.",
        ),
    ] = None,
    article_id: Annotated[
        str | None, Query(pattern=ARTICLE_ID, description="Only this article.")
    ] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[WrittenDate, Query(description="Published at or after.")] = None,
    until: Annotated[WrittenDate, Query(description="Published at or before.")] = None,
    k: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[ClaimHit]:
    """Stored claims across the corpus (no model involved), each with its exact quotes and
    article; only articles whose claims have been made are searched."""
    return cc.quotes(
        q,
        speaker=speaker,
        article_ids=[article_id] if article_id else None,
        source=source,
        published_after=since,
        published_before=until,
        k=k,
    )


@router.get("/speakers", response_model=list[Speaker])
def speakers(cc: ClientDep) -> list[Speaker]:
    """Everyone with stored claims, spellings of one name grouped, most claims first."""
    return cc.speakers()
