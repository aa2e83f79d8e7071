"""The README's curl examples, run in order against a live server (the model is a fake that
gives the smallest valid answer, so every endpoint runs end to end)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from claimcheck import ClaimCheck
from claimcheck.server import create_app, running

from .conftest import ROOT
from .fakes import SchemaModel


def http_examples() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- http-examples -->\n```sh\n(.*?)```", readme, re.S)
    assert block, "the README lost its http-examples block"
    return block.group(1)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_every_curl_example_in_the_readme_works(home: Path) -> None:
    script = http_examples()
    endpoints = set(re.findall(r"\$CC(/[a-z-]+)", script))
    wanted = {"/healthz", "/articles", "/search", "/check", "/check-text", "/ask", "/jobs"}
    wanted |= {"/quotes", "/speakers"}
    assert wanted <= endpoints
    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc:
        with running(create_app(cc)) as url:
            result = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", script],
                cwd=ROOT,
                env={"CC": url, "PATH": "/usr/bin:/bin"},
                capture_output=True,
                text=True,
                timeout=120,
            )
        assert result.returncode == 0, result.stderr + result.stdout[-2000:]
        # the JSON article was deleted at the end; the upload stays, with its form field
        assert [a.source for a in cc.articles()] == ["Harbor Gazette"]
