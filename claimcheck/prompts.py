"""Prompts live in ``prompts/*.yaml`` (shipped in the wheel as ``claimcheck._prompts``).

Each file has ``system`` and ``user`` templates in LangChain's f-string syntax; a variable that
is not supplied is an error, never an empty string. ``output`` names the pydantic model the
JSON answer is validated by (its schema is what the server is held to); the task that loads the
prompt passes that model and :func:`load` checks the two agree, so a prompt cannot silently ask
for one shape while the code expects another. A file may add ``tasks``: named texts that fill a
``{task}`` variable, so that several calls share one prompt prefix (which the server caches)
and differ only at the end. A prompt's version is the hash of its file, so editing a prompt
invalidates every result made with the old one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml
from langchain_core.messages import BaseMessage
from langchain_core.prompts import ChatPromptTemplate
from pydantic import BaseModel


class PromptError(Exception):
    """A prompt file that does not fit the code that uses it (a packaging bug, not bad input)."""


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    template: ChatPromptTemplate
    output: str
    tasks: dict[str, str] = field(default_factory=dict)

    def messages(self, **variables: Any) -> list[BaseMessage]:
        missing = set(self.template.input_variables) - set(variables)
        if missing:
            raise KeyError(f"prompt {self.name!r} needs {sorted(missing)}")
        return self.template.format_messages(**variables)


def load(name: str, output: type[BaseModel] | None = None) -> Prompt:
    """The prompt ``prompts/<name>.yaml``; with ``output``, checked to name that model."""
    prompt = _load(name)
    if output is not None and output.__name__ != prompt.output:
        raise PromptError(
            f"prompt {name!r} names its output {prompt.output!r}, but the code validates the "
            f"answer with {output.__name__!r}"
        )
    return prompt


@cache
def _load(name: str) -> Prompt:
    raw = resources.files("claimcheck._prompts").joinpath(f"{name}.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    if not isinstance(data, dict) or not {"system", "user", "output"} <= set(data):
        raise PromptError(f"prompt {name!r} needs 'system', 'user' and 'output'")
    template = ChatPromptTemplate.from_messages(
        [("system", data["system"]), ("human", data["user"])]
    )
    version = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]
    return Prompt(
        name=name,
        version=version,
        template=template,
        output=str(data["output"]),
        tasks=data.get("tasks", {}),
    )
