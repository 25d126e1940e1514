"""The README stays true: every command it shows exists, and its two set-up commands are the Makefile's."""
import re

from typer.main import get_command

from ui.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_in_the_readme_exists():
    shown = set(re.findall(r"\.venv/bin/assistant (\w+)", README))
    commands = set(get_command(app).commands)
    assert shown and shown <= commands, shown - commands
    # And the design's command list is all there.
    assert {"index", "ask", "chat", "duties", "figures", "quiz", "serve", "eval", "bench", "source"} <= commands


def test_readme_set_up_commands_are_make_targets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
