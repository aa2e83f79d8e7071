"""Pydantic results. Every span carries character offsets into the article's original text."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    computed_field,
    model_validator,
)

from .errors import InputError, validation_message
from .text import has_text

MAX_CLAIM_CHARS = 2000  # a claim or a question; longer texts go to check_text
MAX_TITLE_CHARS = 500  # metadata fields are short; a longer one is refused, not stored
MAX_SOURCE_CHARS = 200
MAX_URL_CHARS = 2048


class ArticleInput(BaseModel):
    """An article before it is stored: its text and what is known about it (read from a file
    by :mod:`claimcheck.sources`, from a page or a feed by :mod:`claimcheck.web`)."""

    model_config = ConfigDict(extra="ignore")

    text: str
    title: str | None = Field(default=None, max_length=MAX_TITLE_CHARS)
    source: str | None = Field(default=None, max_length=MAX_SOURCE_CHARS)
    url: str | None = Field(default=None, max_length=MAX_URL_CHARS)
    published: datetime | None = None
    author: str | None = Field(default=None, max_length=MAX_SOURCE_CHARS)
    site: str | None = Field(default=None, max_length=MAX_SOURCE_CHARS)
    origin: str = Field(default="<text>", description="Where it came from, for messages.")


class Article(BaseModel):
    """A stored news article. ``text`` is kept exactly as ingested; offsets index into it."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable hash of the normalized text; same text, same id.")
    title: str | None = Field(default=None, description="Headline or file name.")
    source: str | None = Field(default=None, description="Publisher or origin, e.g. 'Reuters'.")
    url: str | None = Field(default=None, description="Where the article was published.")
    published: datetime | None = Field(default=None, description="Publication time.")
    author: str | None = Field(default=None, description="Who wrote it, from the page or given.")
    site: str | None = Field(default=None, description="The site's name, from its page.")
    text: str = Field(description="The full text, exactly as ingested.")
    ingested_at: datetime = Field(description="When claimcheck stored it (UTC).")
    chunk_count: int = Field(default=0, ge=0, description="How many chunks the store holds.")


class Chunk(BaseModel):
    """A sentence-aligned piece of an article; ``text == article.text[start:end]``."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    index: int = Field(ge=0, description="Position of the chunk in its article.")
    text: str
    start: int = Field(ge=0, description="Offset of the first character in the article text.")
    end: int = Field(ge=0, description="Offset one past the last character.")
    score: float | None = Field(
        default=None, description="Similarity to the query (1 = identical), set by search."
    )

    @model_validator(mode="after")
    def _span_matches_length(self) -> Self:
        _check_span(self.text, self.start, self.end, None, None)
        return self


class Quote(BaseModel):
    """A verbatim span of an article: ``article.text[start:end] == text``.

    The length of the span is always checked. Pass the article text as validation context to
    check the content too: ``Quote.model_validate(data, context={"article_text": text})``;
    :meth:`from_span` builds a quote that is right by construction.
    """

    model_config = ConfigDict(frozen=True)

    article_id: str
    text: str = Field(description="The exact characters of the article between start and end.")
    start: int = Field(ge=0, description="Offset of the first character in the article text.")
    end: int = Field(ge=0, description="Offset one past the last character.")

    @model_validator(mode="after")
    def _span_matches_source(self, info: ValidationInfo) -> Self:
        context: Any = info.context or {}
        _check_span(self.text, self.start, self.end, context.get("article_text"), self.article_id)
        return self

    @classmethod
    def from_span(cls, article: Article, start: int, end: int) -> Quote:
        """The quote of ``article.text[start:end]``; out-of-range offsets raise ValueError."""
        return cls.model_validate(
            {"article_id": article.id, "text": article.text[start:end], "start": start, "end": end},
            context={"article_text": article.text},
        )

    def verify(self, article: Article) -> bool:
        """True when this quote is exactly ``article.text[start:end]`` of this article."""
        return self.article_id == article.id and article.text[self.start : self.end] == self.text


def _check_span(
    text: str, start: int, end: int, source: str | None, article_id: str | None
) -> None:
    if end < start:
        raise ValueError(f"span end {end} is before its start {start}")
    if end - start != len(text):
        raise ValueError(f"span {start}:{end} is {end - start} characters, text is {len(text)}")
    if source is not None:
        if end > len(source):
            raise ValueError(f"span {start}:{end} runs past the article's {len(source)} characters")
        if source[start:end] != text:
            raise ValueError(
                f"quote is not verbatim: article {article_id} has {source[start:end]!r} "
                f"at {start}:{end}, not {text!r}"
            )


class IngestFailure(BaseModel):
    """One input that could not be stored, with the reason."""

    source: str = Field(description="File path, 'path:line' for JSONL, '<stdin>', or a URL.")
    reason: str


class IngestReport(BaseModel):
    """What a batch ingest stored and what it refused."""

    ingested: list[Article] = Field(default_factory=list)
    failed: list[IngestFailure] = Field(default_factory=list)
    skipped: list[str] = Field(
        default_factory=list, description="Feed items not fetched: their URL is stored already."
    )


class Usage(BaseModel):
    """What a model result cost: tokens by the server's count (cached prompt tokens included)
    and seconds. Shared by every result the model makes."""

    input_tokens: int = Field(default=0, description="Prompt tokens read.")
    output_tokens: int = Field(default=0, description="Tokens generated.")
    cached_tokens: int = Field(
        default=0,
        description="Of the prompt tokens, those the server served from its prompt cache "
        "(as it reports them; 0 from a server that does not).",
    )
    seconds: float = Field(default=0.0, description="Wall time of the whole task.")


class ModelResult(Usage):
    """A result made by the chat model, and what it cost."""

    model: str = Field(default="", description="The model that made it, e.g. 'local:...'.")


class Claim(BaseModel):
    """Who asserted what, with the asserted content as verbatim spans of the article."""

    claim: str = Field(description="A standalone sentence, understandable without the article.")
    speaker: str | None = Field(
        description="Who asserted it, resolved (a name or body); None when the article itself does."
    )
    cue: str | None = Field(default=None, description="The reporting verb, as in the text.")
    quote: list[Quote] = Field(
        min_length=1, description="The asserted content, verbatim; several spans when split."
    )
    kind: Literal["direct", "indirect"] = Field(
        description="direct: in quotation marks; indirect: reported speech."
    )
    speaker_span: Quote | None = Field(
        default=None, description="Where the article names the speaker, if it does there."
    )
    cue_span: Quote | None = Field(default=None, description="The reporting verb's span.")
    reported_by: str | None = Field(
        default=None,
        description="Who reports the speaker's claim, when the article has it "
        "'according to' someone else (the speaker is the one who made it).",
    )
    sentence_source: Literal["code", "model"] = Field(
        default="code",
        description="code: the claim sentence is built from the speaker, cue and quote; model: "
        "the model's standalone rewrite, shown because it passed the fidelity check.",
    )


class ClaimStats(Usage):
    """How the claims came to be: what the parser found, what the code left out, what the
    model was asked and which of its rewrites were shown."""

    candidates: int = Field(description="Attributions the parser found outside page furniture.")
    kept: int = Field(description="Claims returned.")
    furniture_lines: int = Field(
        default=0, description="Lines of page furniture (teasers, comment forms, headings ...)."
    )
    questions: int = Field(default=0, description="Candidates left out: they only ask.")
    nested: int = Field(
        default=0,
        description='Candidates left out inside another claim: an "according to" around the '
        'claims it holds, or a source without a name ("Holm said the forecast assumed X").',
    )
    no_speaker: int = Field(default=0, description="Candidates left out: nobody could be named.")
    merged: int = Field(default=0, description="Claims merged into another with the same span.")
    speakers_resolved: int = Field(description="Pronoun or missing speakers the model named.")
    asked_model: int = Field(default=0, description="Attributions the model was asked about.")
    rewrites: int = Field(default=0, description="Claim sentences that are the model's rewrite.")
    code_sentences: int = Field(default=0, description="Claim sentences built in code.")


class ClaimSet(BaseModel):
    """The claims of one article, with the model and prompt that made them; what they cost is
    in ``stats`` (a :class:`Usage`)."""

    article_id: str
    claims: list[Claim]
    model: str
    prompt_version: str
    stats: ClaimStats
    cached: bool = False


class SummarySentence(BaseModel):
    text: str = Field(description="One sentence of the summary.")
    citations: list[Quote] = Field(
        min_length=1, description="Article sentences that support it, as verbatim spans."
    )


class Summary(ModelResult):
    """A short summary of one article; every sentence cites the article."""

    article_id: str
    sentences: list[SummarySentence]
    prompt_version: str
    map_reduce: bool = Field(
        default=False,
        description="Always False: a summary is written from sentences the code picks, so no "
        "article is summarized in parts any more (kept so stored summaries still load).",
    )
    cached: bool = False

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


class Verdict(ModelResult):
    """Whether the stored articles support a claim, with the exact passages relied on."""

    claim: str
    label: Literal["supported", "refuted", "not_enough_info"]
    reason: str = Field(
        description="What decided the label, written by the code: the closest evidence "
        "sentence, the code's findings and the model's probabilities."
    )
    evidence: list[Quote] = Field(description="Sentences the decision rests on, verbatim.")
    score: float = Field(
        ge=0.0,
        le=1.0,
        description="Support, 0 (refuted) to 1 (supported): the calibrated probability, where "
        "the model has a calibrated decision; else the support probability, and when the code "
        "found a fact or negation the article does not back, at most half the threshold, "
        "halved for each further finding.",
    )
    support: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="The model's probability that the evidence supports the claim (yes against "
        "no, from its log-probabilities); the label is supported when it reaches the model's "
        "threshold and the code found nothing wrong. None when the model was not asked or the "
        "server gave neither yes nor no.",
    )
    model_label: Literal["supported", "refuted", "not_enough_info"] | None = Field(
        default=None,
        description="With explain: the label the model wrote after its reason (it decides "
        "nothing). None when no explanation was asked for.",
    )
    explanation: str | None = Field(
        default=None,
        description="With explain: the model's own written reason, on the same prompt. None "
        "when no explanation was asked for.",
    )
    contradiction: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="For a claim that is not supported: the model's probability that the "
        "article contradicts it (refuted from one half). None when it was not asked.",
    )
    findings: list[str] = Field(
        default_factory=list,
        description="Numbers, dates or names the article never mentions; "
        "a negation the evidence does not share.",
    )
    signals: dict[str, float] = Field(
        default_factory=dict,
        description="What the label was decided from, by name: the support log-odds, the "
        "code's findings, the best evidence's similarity and overlap; and the contradiction "
        "log-odds when it was asked.",
    )


class Report(BaseModel):
    """A text checked sentence by sentence against one article (a faithfulness report)."""

    article_id: str
    verdicts: list[Verdict]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def faithfulness(self) -> float:
        """Share of the text's sentences the article supports."""
        if not self.verdicts:
            return 0.0
        return sum(v.label == "supported" for v in self.verdicts) / len(self.verdicts)


class AnswerSentence(BaseModel):
    text: str
    citations: list[Quote] = Field(min_length=1)


class Answer(ModelResult):
    """An answer from the stored articles; every sentence backed by verbatim citations."""

    question: str
    answered: bool = Field(description="False when the stored articles do not say.")
    answer: str = Field(description="The answer text (the sentences joined).")
    sentences: list[AnswerSentence] = Field(default_factory=list)
    citations: list[Quote] = Field(default_factory=list, description="All cited passages.")
    removed: int = Field(
        default=0, description="Answer sentences dropped because their citations did not hold."
    )
    speaker: str | None = Field(
        default=None,
        description="Set when the question asked what someone said and the answer was drawn "
        "from that speaker's stored claims only.",
    )


class ClaimHit(BaseModel):
    """A stored claim found by :meth:`~claimcheck.ClaimCheck.quotes`."""

    claim: Claim
    article_id: str
    title: str | None = Field(default=None, description="The article's title.")
    published: datetime | None = Field(default=None, description="When the article appeared.")
    source: str | None = None
    score: float | None = Field(
        default=None, description="Similarity to the query in [-1, 1]; None without a query."
    )


class Speaker(BaseModel):
    """Someone with stored claims; spellings of one name share a key."""

    name: str = Field(description="The most frequent spelling, e.g. 'Vladimir Putin'.")
    key: str = Field(description="The normalized name that groups spellings: 'vladimir putin'.")
    claims: int = Field(ge=0, description="Current claims made by this speaker.")
    articles: int = Field(ge=0, description="Articles with at least one of them.")


class BatchFailure(BaseModel):
    article_id: str
    error: str


class BatchReport(BaseModel):
    """What a batch over the stored articles did (``claimcheck claims --all``)."""

    processed: int = Field(default=0, description="Articles whose results were made now.")
    skipped: int = Field(default=0, description="Articles whose results were current already.")
    failed: list[BatchFailure] = Field(default_factory=list)
    seconds: float = 0.0


def valid_claim(claim: str, what: str = "claim") -> str:
    """``claim`` (or a question) with its whitespace folded; an empty or overlong one is an
    :class:`InputError` that says which."""
    if not isinstance(claim, str) or not has_text(claim):
        raise InputError(f"the {what} is empty")
    if len(claim) > MAX_CLAIM_CHARS:
        hint = " (use check_text for longer texts)" if what == "claim" else ""
        raise InputError(
            f"the {what} is {len(claim):,} characters; a {what} is at most "
            f"{MAX_CLAIM_CHARS:,}{hint}"
        )
    return " ".join(claim.split())


class _Window(BaseModel):
    after: datetime | None = None
    before: datetime | None = None


def published_window(
    after: datetime | str | None, before: datetime | str | None
) -> tuple[datetime | None, datetime | None]:
    """A publication window from dates or ISO strings, either end open (None); a bad one is
    an :class:`InputError` that names it."""
    try:
        window = _Window.model_validate({"after": after, "before": before})
    except ValidationError as exc:
        raise InputError(validation_message(exc.errors())) from exc
    return window.after, window.before
