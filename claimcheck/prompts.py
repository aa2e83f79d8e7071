"""Prompts live in ``prompts/*.yaml`` (shipped in the wheel as ``claimcheck._prompts``).

Each file has ``system`` and ``user`` templates in LangChain's f-string syntax; a variable that
is not supplied is an error, never an empty string. A file may add ``tasks``: named texts that
fill a ``{task}`` variable, so that several calls share one prompt prefix (which the server
caches) and differ only at the end. A prompt's version is the hash of its file,
so editing a prompt invalidates every cached result made with the old one.
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


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    template: ChatPromptTemplate
    tasks: dict[str, str] = field(default_factory=dict)

    def messages(self, **variables: Any) -> list[BaseMessage]:
        missing = set(self.template.input_variables) - set(variables)
        if missing:
            raise KeyError(f"prompt {self.name!r} needs {sorted(missing)}")
        return self.template.format_messages(**variables)


@cache
def load(name: str) -> Prompt:
    raw = resources.files("claimcheck._prompts").joinpath(f"{name}.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    template = ChatPromptTemplate.from_messages(
        [("system", data["system"]), ("human", data["user"])]
    )
    version = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]
    return Prompt(name=name, version=version, template=template, tasks=data.get("tasks", {}))
