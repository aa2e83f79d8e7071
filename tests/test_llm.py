"""Choosing and preparing the chat model, without running one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, SecretStr, ValidationError

from claimcheck import llm
from claimcheck.errors import ModelError
from claimcheck.settings import Settings

from .fakes import ScriptedModel


def make_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunks: list[bytes]) -> None:
    """Installable-looking part modules, like the model packages on PyPI."""
    for i, data in enumerate(chunks, 1):
        pkg = tmp_path / "parts" / f"fake_part{i}"
        pkg.mkdir(parents=True)
        (pkg / "data.bin").write_bytes(data)
        (pkg / "__init__.py").write_text(
            "import os\ndef get_part_path():\n"
            "    return os.path.join(os.path.dirname(__file__), 'data.bin')\n"
        )
    monkeypatch.syspath_prepend(str(tmp_path / "parts"))
    for name in list(sys.modules):
        if name.startswith("fake_part"):
            del sys.modules[name]


def spec(sha256: str) -> llm.PackagedModel:
    return llm.PackagedModel(
        file="fake.gguf", part_module="fake_part{i}", parts=3, pip_name="fake-part{i}",
        version="1", sha256=sha256,
    )  # fmt: skip


def test_parts_are_joined_in_order_and_checked(tmp_path: Path, monkeypatch) -> None:
    import hashlib

    make_parts(tmp_path, monkeypatch, [b"one-", b"two-", b"three"])
    good = hashlib.sha256(b"one-two-three").hexdigest()
    monkeypatch.setitem(llm.PACKAGED_MODELS, "fake", spec(good))
    settings = Settings(home=tmp_path / "home", model="fake")
    path = llm.ensure_model_file(settings)
    assert path.read_bytes() == b"one-two-three"
    assert llm.ensure_model_file(settings) == path, "the joined file is reused"


def test_threads_joining_the_model_at_once_all_get_it(tmp_path: Path, monkeypatch) -> None:
    """A new process's first check starts the model from several threads at once; they used
    to share one partial file, and one of them failed."""
    import hashlib
    from concurrent.futures import ThreadPoolExecutor

    chunks = [bytes([i]) * 8_000_000 for i in range(3)]
    make_parts(tmp_path, monkeypatch, chunks)
    monkeypatch.setitem(
        llm.PACKAGED_MODELS, "fake", spec(hashlib.sha256(b"".join(chunks)).hexdigest())
    )
    settings = Settings(home=tmp_path / "home", model="fake")
    with ThreadPoolExecutor(4) as pool:
        paths = list(pool.map(lambda _: llm.ensure_model_file(settings), range(4)))
    assert len(set(paths)) == 1 and paths[0].stat().st_size == 24_000_000
    assert [p.name for p in paths[0].parent.iterdir()] == ["fake.gguf"], "no partial left"


def test_a_wrong_checksum_is_refused_and_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    make_parts(tmp_path, monkeypatch, [b"one-", b"two-", b"tree"])
    monkeypatch.setitem(llm.PACKAGED_MODELS, "fake", spec("0" * 64))
    settings = Settings(home=tmp_path / "home", model="fake")
    with pytest.raises(ModelError, match="refusing to load"):
        llm.ensure_model_file(settings)
    assert list((tmp_path / "home" / "models").iterdir()) == []


def test_a_missing_part_names_the_package_to_install(tmp_path: Path, monkeypatch) -> None:
    make_parts(tmp_path, monkeypatch, [b"one-", b"two-"])  # part 3 is not installed
    monkeypatch.setitem(llm.PACKAGED_MODELS, "fake", spec("0" * 64))
    with pytest.raises(ModelError, match="fake-part3"):
        llm.ensure_model_file(Settings(home=tmp_path, model="fake"))


def test_unknown_model_and_missing_path_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="CLAIMCHECK_MODEL must be one of"):
        llm.ensure_model_file(Settings(home=tmp_path, model="gpt-9"))
    with pytest.raises(ModelError, match="is not a file"):
        llm.ensure_model_file(Settings(home=tmp_path, model_path=tmp_path / "none.gguf"))


def test_hosted_when_the_openai_variables_are_set(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    settings = Settings(home=tmp_path)
    assert not settings.hosted
    assert llm.model_id(settings) == "local:qwen2.5-coder-1.5b"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    settings = Settings(home=tmp_path)
    assert settings.hosted and settings.openai_base_url == "http://127.0.0.1:9/v1"
    assert llm.model_id(settings) == "openai:gpt-4o-mini@http://127.0.0.1:9/v1"
    model = llm.chat_model(settings, max_tokens=100)
    assert isinstance(model, ChatOpenAI)
    assert model.model_name == "gpt-4o-mini" and model.temperature == 0
    assert str(model.openai_api_base) == "http://127.0.0.1:9/v1"


def test_the_provider_comes_from_settings_argument_over_environment(
    monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    key = "sk-given-7f3"
    given = Settings(home=tmp_path, openai_base_url="http://127.0.0.1:7/v1", openai_api_key=key)
    model = llm.chat_model(given, max_tokens=10)
    assert isinstance(model, ChatOpenAI)
    assert str(model.openai_api_base) == "http://127.0.0.1:7/v1"
    assert isinstance(model.openai_api_key, SecretStr)
    assert model.openai_api_key.get_secret_value() == key
    assert key not in repr(given) and "sk-from-env" not in repr(Settings(home=tmp_path))
    monkeypatch.setenv("OPENAI_BASE_URL", "")
    monkeypatch.setenv("OPENAI_API_KEY", "")
    assert not Settings(home=tmp_path).hosted, "an empty variable is unset"


class _Empty(BaseModel):
    pass


class _Failing:
    """A chat model whose every call raises what it was given."""

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def bind(self, **_: object) -> _Failing:
        return self

    def invoke(self, _messages: object) -> None:
        raise self.exc


def _wrapped(inner: Exception) -> Exception:
    try:
        try:
            raise inner
        except Exception as exc:
            raise RuntimeError("Connection error.") from exc  # how a client library wraps it
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize(
    ("exc", "retryable"),
    [
        (_wrapped(ConnectionRefusedError(111, "refused")), True),
        (TimeoutError("timed out"), True),
        (_wrapped(ValueError("bad request")), False),
    ],
)
def test_a_model_that_cannot_be_reached_is_a_retryable_error(exc, retryable) -> None:
    from claimcheck.structured import invoke_structured

    with pytest.raises(ModelError, match="the chat model call failed") as info:
        invoke_structured(_Failing(exc), [], _Empty)  # type: ignore[arg-type]
    assert info.value.retryable is retryable


def test_the_support_threshold_is_the_packaged_models_unless_set(monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    packaged = llm.PACKAGED_MODELS[llm.DEFAULT_LOCAL_MODEL]
    assert llm.support_threshold(Settings()) == packaged.support_threshold
    assert llm.support_threshold(Settings(model_path=Path("/m") / packaged.file)) == (
        packaged.support_threshold
    ), "the packaged file anywhere, matched by name"
    assert llm.support_threshold(Settings(model_path=Path("/m/other.gguf"))) == 0.5
    assert llm.support_threshold(Settings(support_threshold=0.3)) == 0.3
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert llm.support_threshold(Settings()) == 0.5, "a hosted model is not the packaged one"


def test_the_findings_overrule_unless_the_packaged_model_says_otherwise(monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    packaged = llm.PACKAGED_MODELS[llm.DEFAULT_LOCAL_MODEL]
    assert llm.findings_overrule(Settings()) is packaged.findings_overrule is False
    assert llm.findings_overrule(Settings(support_threshold=0.3)), "a threshold set: the rule"
    assert llm.findings_overrule(Settings(model_path=Path("/m/other.gguf")))
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert llm.findings_overrule(Settings()), "a hosted model is not the packaged one"


def test_the_check_view_is_the_packaged_models_unless_set(monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("CLAIMCHECK_CHECK_VIEW", raising=False)
    packaged = llm.PACKAGED_MODELS[llm.DEFAULT_LOCAL_MODEL]
    assert llm.check_view(Settings()) == packaged.check_view
    assert llm.check_view(Settings(model_path=Path("/m/other.gguf"))) == "article"
    assert llm.check_view(Settings(check_view="article")) == "article"
    monkeypatch.setenv("CLAIMCHECK_CHECK_VIEW", "evidence")
    assert llm.check_view(Settings(model_path=Path("/m/other.gguf"))) == "evidence"
    monkeypatch.setenv("CLAIMCHECK_CHECK_VIEW", "paragraphs")
    with pytest.raises(ValidationError, match="check_view"):
        Settings()
    monkeypatch.delenv("CLAIMCHECK_CHECK_VIEW")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert llm.check_view(Settings()) == "article", "a hosted model reads the whole article"


def test_response_schemas_come_from_the_answer_models() -> None:
    """Every schema is the pydantic model's own, refs inlined; a property named "title" is kept
    while the "title" keywords go; the prompt names the model that validates its answer."""
    from claimcheck import prompts
    from claimcheck.ask import answer_model
    from claimcheck.check import Judgement
    from claimcheck.structured import ModelAnswer, json_schema

    schema = json_schema(answer_model(4))
    assert "$defs" not in str(schema) and "$ref" not in str(schema)
    cites = schema["properties"]["sentences"]["items"]["properties"]["cites"]
    assert cites["items"] == {"maximum": 4, "minimum": 1, "type": "integer"}
    assert schema["additionalProperties"] is False

    class Titled(ModelAnswer):
        title: str
        inner: Judgement

    titled = json_schema(Titled)
    assert set(titled["properties"]) == {"title", "inner"} and "title" not in titled
    assert titled["properties"]["inner"]["properties"]["label"]["enum"][0] == "supported"
    assert prompts.load("check", Judgement).output == "Judgement"
    with pytest.raises(prompts.PromptError, match="validates the answer with 'Titled'"):
        prompts.load("check", Titled)


def test_a_result_key_changes_with_every_module_its_task_imports(
    tmp_path: Path, monkeypatch
) -> None:
    """A stored result's code version covers the modules a task imports, not only its own."""
    import importlib
    import sys

    from claimcheck import versions

    package = tmp_path / "ccpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "task.py").write_text("from . import helper\nfrom .words import WORD\n")
    (package / "helper.py").write_text("X = 1\n")
    (package / "words.py").write_text("WORD = 'a'\n")
    (package / "unrelated.py").write_text("Y = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    task = importlib.import_module("ccpkg.task")
    try:
        assert versions._imports("ccpkg.task") == {"ccpkg.task", "ccpkg.helper", "ccpkg.words"}
        before = versions.code_version(task)
        (package / "unrelated.py").write_text("Y = 2\n")
        versions._code_version.cache_clear()  # as a new process would see it
        assert versions.code_version(task) == before
        (package / "words.py").write_text("WORD = 'b'\n")
        assert versions.code_version(task) == before, "hashed once a process"
        versions._code_version.cache_clear()
        assert versions.code_version(task) != before
    finally:
        for name in [n for n in sys.modules if n.startswith("ccpkg")]:
            del sys.modules[name]


def test_the_embedded_server_is_sent_a_compact_grammar_and_others_a_response_format() -> None:
    """A model marked as the embedded server's gets the schema as a grammar without layout in
    the request body; any other model the OpenAI response format. Both answers are validated
    by the same answer model."""
    from claimcheck.ask import answer_model
    from claimcheck.structured import COMPACT, invoke_structured, json_schema

    answer = {"sentences": [{"text": "Cider is up.", "cites": [1]}]}
    embedded = ScriptedModel([answer])
    embedded.metadata = {COMPACT: True}
    hosted = ScriptedModel([answer])
    for model in (embedded, hosted):
        result = invoke_structured(model, [HumanMessage("Summarize.")], answer_model(2))
        assert result.sentences[0].cites == [1]
    grammar = embedded.calls[0]["extra_body"]["grammar"]
    assert "response_format" not in embedded.calls[0]
    assert '"whitespace_flexible":false' in grammar.replace(" ", "")
    assert '"maximum":2' in grammar.replace(" ", ""), "the schema's bounds are in the grammar"
    assert hosted.response_schema() == json_schema(answer_model(2))
    assert "extra_body" not in hosted.calls[0]
