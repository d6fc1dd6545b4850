"""The build manifest: which files jmap wrote into an output folder, and from what.

For each journey built into the folder it records the files written and a key: a hash of the
journey file, the files it includes, the jmap version, the formats, the engine and every
template. A journey whose key is unchanged and whose files are all there is not rendered again.
Only files listed here are ever deleted, so a user's own files in the output folder are safe;
and only names of files directly in the folder are taken from it, so that a manifest edited by
hand (or by an attacker) cannot make a build delete anything elsewhere.

Which files a journey includes is known only once it is read, so the manifest records them with
their hashes; the next build puts their current hashes into the key without reading the journey.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from jmap import __version__
from jmap.write import is_plain_name, write_text_atomic

MANIFEST_NAME = ".jmap-manifest.json"
_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Entry:
    key: str
    journey_id: str
    # File name inside the output folder -> SHA-256 of what jmap wrote there, so that
    # `--check` notices a map edited by hand.
    outputs: dict[str, str]
    # Files the journey included (named like journeys, relative to the folder) -> SHA-256 of
    # what was read, so that a change to a shared file rebuilds every journey that includes it.
    inputs: dict[str, str] = field(default_factory=dict)
    # How many lint findings of each level the journey had, so a build that renders nothing
    # can still report the lint summary without reading every journey again.
    lint: dict[str, int] = field(default_factory=dict)


@dataclass
class Manifest:
    folder: Path
    # Journey file (relative to `folder`, so any working directory finds it) -> what it made.
    entries: dict[str, Entry] = field(default_factory=dict)
    # Files jmap wrote that are no longer wanted; removal is retried until it succeeds.
    to_remove: set[str] = field(default_factory=set)
    index_key: str | None = None  # what the portfolio pages were last made from
    # The portfolio pages jmap wrote, so that they go when a build no longer makes them.
    index_files: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        try:
            document = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
            entries = {
                source: Entry(
                    item["key"],
                    item["id"],
                    _outputs(dict(item["outputs"])),
                    dict(item.get("inputs", {})),
                    dict(item.get("lint", {})),
                )
                for source, item in document["journeys"].items()
            }
            remove = set(_outputs(dict.fromkeys(document.get("remove", []), "")))
            pages = set(_outputs(dict.fromkeys(document.get("index_files", []), "")))
            return cls(folder, entries, remove, document.get("index"), pages)
        except (OSError, ValueError, KeyError, TypeError):
            # No manifest, or one jmap cannot read: build everything, delete nothing.
            return cls(folder)

    def write(self) -> None:
        document: dict[str, Any] = {
            "manifest": _FORMAT_VERSION,
            "jmap": __version__,
            "journeys": {source: _entry_document(e) for source, e in sorted(self.entries.items())},
        }
        if self.to_remove:
            document["remove"] = sorted(self.to_remove)
        if self.index_key:
            document["index"] = self.index_key
        if self.index_files:
            document["index_files"] = sorted(self.index_files)
        text = json.dumps(document, indent=2) + "\n"
        target = self.folder / MANIFEST_NAME
        if not (self.entries or self.to_remove or target.exists()):
            return  # nothing was built: leave no trace
        try:
            if target.read_text(encoding="utf-8") == text:
                return  # a no-op build touches nothing, not even the manifest's time
        except OSError:
            pass
        write_text_atomic(target, text)

    def source_name(self, source: Path) -> str:
        return Path(os.path.relpath(source.resolve(), self.folder.resolve())).as_posix()

    def source_path(self, name: str) -> Path:
        return self.folder / name

    def is_current(self, name: str, key: str) -> bool:
        entry = self.entries.get(name)
        return (
            entry is not None
            and entry.key == key
            and all((self.folder / output).is_file() for output in entry.outputs)
        )


def _outputs(listed: dict[str, str]) -> dict[str, str]:
    """The output names of a manifest that jmap could have written: files directly in the
    folder, not hidden (the manifest and the lock are jmap's own)."""
    return {
        name: value
        for name, value in listed.items()
        if isinstance(name, str) and is_plain_name(name) and not name.startswith(".")
    }


def _entry_document(entry: Entry) -> dict[str, Any]:
    document: dict[str, Any] = {
        "key": entry.key,
        "id": entry.journey_id,
        "outputs": dict(sorted(entry.outputs.items())),
    }
    if entry.inputs:
        document["inputs"] = dict(sorted(entry.inputs.items()))
    if entry.lint:
        document["lint"] = dict(sorted(entry.lint.items()))
    return document


def settings_key(
    formats: Iterable[str],
    engine: str,
    templates: Path | None,
    lint: object = None,
    limits: object = None,
) -> str:
    """What shapes every output besides the journey: version, formats, engine, templates,
    the lint settings whose counts the manifest keeps, and the limits a journey must keep
    (lowered, they may refuse a journey that built before)."""
    digest = hashlib.sha256()
    digest.update(repr(lint).encode())
    digest.update(repr(limits).encode())
    digest.update(f"jmap {__version__}\0{','.join(formats)}\0{engine}\0".encode())
    for name, content in _template_files(templates):
        digest.update(name.encode() + b"\0" + content + b"\0")
    return digest.hexdigest()


def journey_key(settings: str, journey: str, inputs: Mapping[str, str | None]) -> str:
    """What a journey's maps are made from: the settings, the SHA-256 of the journey file, and
    each included file's name and SHA-256 (None for a file that cannot be read)."""
    digest = hashlib.sha256(f"{settings}\0{journey}".encode())
    for name, content in sorted(inputs.items()):
        digest.update(f"\0{name}\0{content}".encode())
    return digest.hexdigest()


def _template_files(user_folder: Path | None) -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    if user_folder is not None:
        for path in sorted(user_folder.rglob("*")):
            if path.is_file():
                found.append(
                    (f"user/{path.relative_to(user_folder).as_posix()}", path.read_bytes())
                )
    built_in = files("jmap") / "templates"
    stack = [("", built_in)]
    while stack:
        prefix, folder = stack.pop()
        for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
            if item.name == "init" and not prefix:
                continue  # starter journeys for `jmap init`, not used by any map
            if item.is_dir():
                stack.append((f"{prefix}{item.name}/", item))
            else:
                found.append((f"jmap/{prefix}{item.name}", item.read_bytes()))
    return found


def content_hash(text: str | bytes) -> str:
    """SHA-256 of a file's content: its bytes, or its text as UTF-8."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
