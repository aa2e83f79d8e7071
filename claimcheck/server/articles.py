"""``/articles`` (add from JSON or an upload, list, get, delete) and ``/search``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import ValidationError

from ..errors import InputError, validation_message
from ..models import MAX_SOURCE_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS, Article, Chunk
from ..sources import read_upload
from ..text import SOME_TEXT
from .schemas import ERRORS, AddedArticle, ArticleIn, ArticleInfo
from .service import ClientDep, ServiceDep

router = APIRouter(responses=ERRORS)


UPLOAD_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": ArticleIn.model_json_schema()},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "A .txt, .md, .html or .jsonl file holding one article.",
                    },
                    "title": {"type": "string", "maxLength": MAX_TITLE_CHARS},
                    "source": {"type": "string", "maxLength": MAX_SOURCE_CHARS},
                    "url": {"type": "string", "maxLength": MAX_URL_CHARS},
                    "published": {"type": "string", "format": "date-time"},
                },
            }
        },
    },
}


def _link(operation: str) -> dict[str, object]:
    return {"operationId": operation, "parameters": {"article_id": "$response.body#/id"}}


# What a client (or a stateful fuzzer) can do next with the id it got.
ARTICLE_LINKS = {
    name: _link(name) for name in ("get_article", "delete_article", "summary", "claims")
}


@router.post(
    "/articles",
    status_code=201,
    response_model=AddedArticle,
    openapi_extra={"requestBody": UPLOAD_BODY},
    responses={201: {"description": "The stored article.", "links": ARTICLE_LINKS}},
)
async def add_article(
    request: Request,
    svc: ServiceDep,
    claims: Annotated[
        bool, Query(description="Also make its claims, as a background job (claims_job).")
    ] = False,
) -> AddedArticle:
    """Store an article: a JSON body ``{text, title, source, url, published, author, site}``,
    a JSON body ``{url}`` alone (the page is fetched and read like an uploaded .html file), or
    a multipart upload (field ``file``; .txt, .md or .html) with optional form fields. With
    ``?claims=true`` its claims are queued as a job whose id comes back in ``claims_job``."""
    limit = svc.settings.max_body_bytes
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        item = await _upload(request, limit)
    else:
        body = await request.body()
        if len(body) > limit:
            raise InputError(f"request body over the limit of {limit:,} bytes")
        try:
            item = ArticleIn.model_validate_json(body)
        except ValidationError as exc:
            raise InputError(validation_message(exc.errors(), empty="body")) from exc
    if claims:
        svc.gate.check_room()  # before storing: a 429 must not leave an article half-served
    cc = await run_in_threadpool(svc.client)
    if item.text is None:  # a page to fetch
        if not svc.settings.allow_fetch:
            raise InputError("fetching URLs is off on this server (CLAIMCHECK_ALLOW_FETCH)", "url")
        assert item.url is not None
        article = await run_in_threadpool(
            cc.ingest_url, item.url, title=item.title, source=item.source, published=item.published
        )
    else:  # never read as a path or a URL: the client's text is the article
        article = await run_in_threadpool(
            cc.ingest_text,
            item.text,
            title=item.title,
            source=item.source,
            url=item.url,
            published=item.published,
            author=item.author,
            site=item.site,
        )
    job = (
        svc.start_job(lambda: cc.claim_set(article.id), f"claims {article.id}") if claims else None
    )
    return AddedArticle(**article.model_dump(), claims_job=job.id if job else None)


async def _upload(request: Request, limit: int) -> ArticleIn:
    """The article of a multipart upload, read as a file of its name would be."""
    async with request.form() as form:  # closes the uploaded files afterwards
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise InputError("multipart upload needs a file field named 'file'")
        raw = await upload.read()
        name = upload.filename or "upload"
        fields = {k: v for k, v in form.items() if k != "file" and isinstance(v, str)}
    if len(raw) > limit:
        raise InputError(f"over the limit of {limit:,} bytes", name)
    item = read_upload(raw, name)
    read = item.model_dump(include={"text", "title", "url", "published", "author", "site"})
    try:
        return ArticleIn.model_validate({**read, **fields})  # the form's fields win
    except ValidationError as exc:
        raise InputError(validation_message(exc.errors()), name) from exc


@router.get("/articles", response_model=list[ArticleInfo])
def list_articles(cc: ClientDep) -> list[ArticleInfo]:
    return [ArticleInfo.model_validate(a.model_dump()) for a in cc.articles()]


@router.get("/articles/{article_id}", response_model=Article)
def get_article(article_id: str, cc: ClientDep) -> Article:
    return cc.get(article_id)


@router.delete("/articles/{article_id}", status_code=204)
def delete_article(article_id: str, cc: ClientDep) -> Response:
    cc.delete(article_id)
    return Response(status_code=204)


@router.get("/search", response_model=list[Chunk])
def search(
    cc: ClientDep,
    q: Annotated[
        str,
        Query(min_length=1, max_length=2000, pattern=SOME_TEXT, description="What to look for."),
    ],
    k: Annotated[int, Query(ge=1, le=100)] = 5,
    article_id: str | None = None,
) -> list[Chunk]:
    """The stored chunks closest in meaning to ``q`` (no model involved)."""
    return cc.search(q, k=k, article_id=article_id)
