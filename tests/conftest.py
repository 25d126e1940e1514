"""Shared fixtures: a real index built once per session in a temporary data dir."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def cedict_parsed_once():
    """Every index build in this process parses CC-CEDICT once, not once per build. ``build_english`` clears
    the parsed dictionary after each build (a serving process should not keep ~50 MB it no longer needs);
    the suite runs ~37 builds in this one process, each then parsing the dictionary again (~2.9 s). Here
    the clearing is left out; what a build writes (english.json) is the same either way, and
    tests/index/test_gloss.py::test_a_build_lets_go_of_the_parsed_dictionary checks the clearing itself."""
    from index import cedict, gloss

    cached = (gloss.cedict_entries, cedict.tables)
    with pytest.MonkeyPatch.context() as mp:
        for function in cached:
            mp.setattr(function, "cache_clear", lambda: None)
        yield cached
    for function in cached:
        function.cache_clear()


@pytest.fixture(scope="session")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("assistant-home")


@pytest.fixture(scope="session")
def settings(home) -> Settings:
    return Settings.from_env(home=home)


@pytest.fixture(scope="session")
def assistant(settings):
    from assistant import Assistant

    return Assistant.open(settings)


@pytest.fixture(scope="session")
def source(assistant) -> str:
    return assistant.source()


@pytest.fixture(scope="session")
def seed_vectors(home, assistant):
    """``seed(data_dir)``: copy the session index's per-document sentence vectors (``<home>/vectors``, see
    index/vectors.py) into another data dir before it is built, so a test whose subject is the build's
    mechanics (a server store, a rebuild, another document beside the speech) does not embed the speech
    again. The build itself is unchanged: it still runs in full, and reads each vector file back only where
    the embedding model and the document's sentence texts are the same (the file's key) and the file
    verifies; anything else is embedded as without the seed."""

    def seed(target: Path) -> Path:
        target = Path(target)
        shutil.copytree(home / "vectors", target / "vectors", dirs_exist_ok=True)
        return target

    return seed


@pytest.fixture(scope="session")
def run_cli(home):
    """Run the `assistant` CLI in a fresh process against the session's data dir."""

    def run(*args: str, stdin: str | None = None, env: dict | None = None, timeout: int = 120):
        full_env = os.environ | {"ASSISTANT_HOME": str(home)} | (env or {})
        return subprocess.run([sys.executable, "-m", "ui.cli", *args], input=stdin, capture_output=True,
                              text=True, env=full_env, timeout=timeout, cwd=ROOT)

    return run


# ---- the quiz (tests/assistant/quiz, tests/ui) ------------------------------------------------------------
@pytest.fixture(scope="session")
def bank(assistant):
    return assistant.quiz_bank()


@pytest.fixture(scope="session")
def by_id(bank):
    return {q.id: q for q in bank}


@pytest.fixture(scope="session")
def grade(assistant):
    return assistant.grade


@pytest.fixture(scope="session")
def names(assistant):
    from assistant.quiz import ActorNames

    return ActorNames(assistant.registry)


@pytest.fixture(scope="session")
def surface(assistant) -> dict:
    """Every body's surface forms, by canonical name."""
    return {b.name: b.surface_forms for b in assistant.registry.bodies}


@pytest.fixture(scope="session")
def report_homes(tmp_path_factory) -> Path:
    """One data dir per work report (eval.reports.assistant_for builds each index on first use), shared by
    the tests that ask other documents."""
    return tmp_path_factory.mktemp("report-homes")
