"""Compiled templates are kept between runs, and are only ever a shortcut."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from jmap.templating import environment


def _cache_folder(env: jinja2.Environment) -> Path:
    cache = env.bytecode_cache
    assert isinstance(cache, jinja2.FileSystemBytecodeCache)
    return Path(cache.directory)


def test_a_changed_template_is_compiled_again(tmp_path: Path) -> None:
    (tmp_path / "map.md.j2").write_text("one {{ x }}\n", encoding="utf-8")
    assert environment(tmp_path).get_template("map.md.j2").render(x=1) == "one 1\n"
    (tmp_path / "map.md.j2").write_text("two {{ x }}\n", encoding="utf-8")
    # A new environment, as a new build has: it finds the entry of the old text and skips it.
    assert environment(tmp_path).get_template("map.md.j2").render(x=1) == "two 1\n"


def test_a_cache_that_cannot_be_written_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "map.md.j2").write_text("fresh {{ x }}\n", encoding="utf-8")
    env = environment(tmp_path)
    cache = env.bytecode_cache
    assert isinstance(cache, jinja2.FileSystemBytecodeCache)
    monkeypatch.setattr(cache, "directory", str(tmp_path / "gone"))  # every write fails
    assert env.get_template("map.md.j2").render(x=2) == "fresh 2\n"


def test_it_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JMAP_NO_TEMPLATE_CACHE", "1")
    assert environment().bytecode_cache is None
    monkeypatch.delenv("JMAP_NO_TEMPLATE_CACHE")
    assert _cache_folder(environment()).is_dir()
