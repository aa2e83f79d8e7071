"""Structured output: a JSON schema sent as ``response_format``, the answer validated in code.

The schema goes to the server as an OpenAI ``json_schema`` response format, which llama.cpp
turns into a grammar (decoding cannot leave the schema) and OpenAI honours too. The embedded
server is sent the grammar itself instead, one that allows no layout (:func:`compact_grammar`):
left to itself the 1.5B pretty-prints, and every newline and indent is a token written. The
answer is parsed and validated here, so the same path also works with LangChain's fake chat
models in tests. An invalid answer is retried once, then it is a :class:`ModelError` quoting it.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.runnables import Runnable
from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import ModelError, validation_message

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)


@dataclass
class Usage:
    """Tokens and calls spent, summed over every model call of a task."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    retries: int = 0
    cached_tokens: int = 0  # of the input tokens, those the server read from its prompt cache

    def add(self, message: BaseMessage) -> None:
        self.calls += 1
        meta = getattr(message, "usage_metadata", None) or {}
        self.input_tokens += int(meta.get("input_tokens", 0))
        self.output_tokens += int(meta.get("output_tokens", 0))
        details = meta.get("input_token_details") or {}
        self.cached_tokens += int(details.get("cache_read", 0) or 0)


def _unreachable(exc: BaseException) -> bool:
    """True for a connection failure or timeout, however the client library wraps it (the
    server may be gone: worth a restart and a retry)."""
    import openai

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, openai.APIConnectionError | ConnectionError | TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class ModelAnswer(BaseModel):
    """Base of the models a model's JSON answer is validated by. Their schema forbids other
    keys (so a grammar-constrained server cannot add any); validation ignores extra keys a
    server without a grammar might still send."""

    model_config = ConfigDict(json_schema_extra={"additionalProperties": False})


def json_schema(output: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of a pydantic model, as a response format wants it: every ``$ref``
    inlined (llama.cpp's grammar converter and OpenAI's strict mode both take that), no
    ``title`` keywords. The model is the one source of truth: the answer is validated by it."""
    schema = output.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node: Any, in_properties: bool = False) -> Any:
        if isinstance(node, list):
            return [inline(item) for item in node]
        if not isinstance(node, dict):
            return node
        if in_properties:  # keys are field names, each a schema
            return {key: inline(value) for key, value in node.items()}
        if "$ref" in node:
            target = defs[node["$ref"].rsplit("/", 1)[-1]]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return {
            key: inline(value, in_properties=key == "properties")
            for key, value in node.items()
            if key != "title"
        }

    result: dict[str, Any] = inline(schema)
    return result


COMPACT = "compact_json"  # a chat model's metadata key: its server takes a compact grammar


def compact_grammar(schema: dict[str, Any]) -> str:
    """A llama.cpp grammar (llguidance) for ``schema`` whose JSON has no layout: one space
    after each comma and colon, no newlines or indents. llama.cpp's own converter of a response
    format lets the model pretty-print, and the 1.5B does: spread over lines, the own set's
    summaries took 264 written tokens (median) against 231 on one line, the same words."""
    import xllamacpp

    compact = {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "}
    grammar: str = xllamacpp.json_schema_to_grammar(json.dumps({"x-guidance": compact, **schema}))
    return grammar


def response_format(schema: dict[str, Any], name: str, strict: bool = False) -> dict[str, Any]:
    return {
        "type": "json_schema",
        "json_schema": {"name": name, "schema": schema, "strict": strict},
    }


def invoke_structured(
    model: BaseChatModel,
    messages: list[BaseMessage],
    output: type[M],
    *,
    usage: Usage | None = None,
    max_tokens: int | None = None,
    schema: dict[str, Any] | None = None,
    name: str | None = None,
    context: dict[str, Any] | None = None,
) -> M:
    """Call ``model`` with ``output``'s JSON schema as response format; the answer, validated.

    ``schema`` replaces the generated schema where it must say more than the model can (one
    answer per position, say); the answer is still validated by ``output``. An answer that
    does not fit is asked for once more before giving up with a :class:`ModelError`.
    ``context`` is pydantic's validation context, for checks that depend on the call.
    """
    name = name or output.__name__
    schema = schema or json_schema(output)
    options: dict[str, Any] = (
        {"extra_body": {"grammar": compact_grammar(schema)}}
        if (getattr(model, "metadata", None) or {}).get(COMPACT)
        else {"response_format": response_format(schema, name)}
    )
    if max_tokens is not None:
        options["max_tokens"] = max_tokens
    bound = model.bind(**options)
    problems = []
    last = ""
    for attempt in range(2):
        message = _invoke(bound, messages, usage)
        if usage is not None:
            usage.retries += attempt
        last = _text(message)
        try:
            return output.model_validate_json(last, context=context)
        except ValidationError as exc:
            problems.append(validation_message(exc.errors(), empty="answer"))
            log.warning("invalid %s answer (attempt %d): %s", name, attempt + 1, problems[-1])
    raise ModelError(
        f"the model's {name} answer was invalid twice ({'; '.join(problems)}); "
        f"it said: {last[:500]!r}",
        raw=last,
    )


def _invoke(
    model: Runnable[LanguageModelInput, BaseMessage],
    messages: list[BaseMessage],
    usage: Usage | None,
) -> BaseMessage:
    """One call; the client's errors (connection, timeout, HTTP status) become ModelError."""
    try:
        message: BaseMessage = model.invoke(messages)
    except Exception as exc:
        raise ModelError(f"the chat model call failed: {exc}", retryable=_unreachable(exc)) from exc
    if usage is not None:
        usage.add(message)
    return message


def _text(message: BaseMessage) -> str:
    content = message.content if isinstance(message, AIMessage) else str(message)
    return content if isinstance(content, str) else json.dumps(content)


def yes_probability(
    model: BaseChatModel, messages: list[BaseMessage], usage: Usage | None = None
) -> float | None:
    """P(yes) / (P(yes) + P(no)) of the model's one-token answer to a yes/no question.

    Read from the answer token's top log-probabilities (OpenAI, vLLM and llama.cpp return them);
    a server that returns none, or refuses to be asked for them, gives 1.0 or 0.0 from the
    answer's text, and an answer that is neither yes nor no gives None.
    """
    try:
        message = _invoke(model.bind(max_tokens=1, logprobs=True, top_logprobs=20), messages, usage)
    except ModelError as exc:
        if exc.retryable:  # the server is gone, not picky
            raise
        log.warning("the model refused log-probabilities (%s); reading its answer's text", exc)
        message = _invoke(model.bind(max_tokens=1), messages, usage)
    logprobs = (getattr(message, "response_metadata", None) or {}).get("logprobs") or {}
    first = (logprobs.get("content") or [{}])[0]
    mass = {"yes": 0.0, "no": 0.0}
    for candidate in first.get("top_logprobs") or []:
        word = str(candidate.get("token", "")).strip().lower()
        for answer in mass:
            if word and answer.startswith(word):
                mass[answer] += math.exp(float(candidate["logprob"]))
    if mass["yes"] + mass["no"] > 0:
        return mass["yes"] / (mass["yes"] + mass["no"])
    word = _text(message).strip().lower()
    if word.startswith("yes"):
        return 1.0
    if word.startswith("no"):
        return 0.0
    return None
