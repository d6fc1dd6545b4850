"""The reader's language: a journey's or the project's `lang` puts every fixed label of the maps
in that language (jmap.i18n), through the CLI with real files."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from pypdf import PdfReader

from jmap.i18n import LANGUAGES, compiled
from tests.helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "omnichannel-support.yaml"
LOCALES = ROOT / "src" / "jmap" / "locales"
# Labels the maps show in every journey of this example, and what German says instead.
ENGLISH = ["Customer goal", "Moments that matter", "Top opportunities", "very negative", "Stage 1"]


def _journey(folder: Path, lang: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = re.sub(r"^title: (.*)$", rf"title: \1\nlang: {lang}", text, count=1, flags=re.M)
    path = folder / f"journey-{lang}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("code", LANGUAGES[1:])
def test_every_catalogue_is_complete_and_compiles(code: str) -> None:
    po = (LOCALES / f"{code}.po").read_bytes()
    catalog = read_po(io.BytesIO(po), locale=code)
    for message in catalog:
        if not message.id:
            continue
        strings = (
            [str(s) for s in message.string]
            if isinstance(message.string, tuple | list)
            else [str(message.string or "")]
        )
        assert all(strings), f"{code}: {message.id!r} is not translated"
        ids = (
            [str(i) for i in message.id]
            if isinstance(message.id, tuple | list)
            else [str(message.id)]
        )
        wanted = set(re.findall(r"\{\w+\}", ids[-1]))
        for string in strings:
            assert set(re.findall(r"\{\w+\}", string)) == wanted, (code, message.id, string)
    assert compiled(po).gettext("Customer goal") != "Customer goal"


@pytest.mark.parametrize("code", LANGUAGES[1:])
def test_a_journey_in_another_language_has_no_english_label_left(tmp_path: Path, code: str) -> None:
    source = _journey(tmp_path, code)
    result = run_cli(["build", str(source), "-o", str(tmp_path / "maps"), "-f", "svg,html"])
    assert result.exit_code == 0, result.stdout + result.stderr
    for name in ("journey-" + code + ".svg", "journey-" + code + ".html"):
        made = tmp_path / "maps" / name.replace("journey-" + code, "omnichannel-support")
        text = made.read_text(encoding="utf-8")
        for label in ENGLISH:
            assert label not in text, (code, name, label)
    html = (tmp_path / "maps" / "omnichannel-support.html").read_text(encoding="utf-8")
    assert f'<html lang="{code}">' in html


def test_german_writes_its_own_labels_numbers_and_dates(tmp_path: Path) -> None:
    source = _journey(tmp_path, "de")
    result = run_cli(["build", str(source), "-o", str(tmp_path / "maps"), "-f", "svg,html"])
    assert result.exit_code == 0, result.stdout + result.stderr
    svg = (tmp_path / "maps" / "omnichannel-support.svg").read_text(encoding="utf-8")
    html = (tmp_path / "maps" / "omnichannel-support.html").read_text(encoding="utf-8")
    assert "KUNDENZIEL" in svg
    assert "Entscheidender Moment" in svg
    assert "Kundenziel" in html
    assert "sehr negativ" in html
    assert "1,8%" in html  # a KPI's value: a decimal comma
    assert "30.09.2025" in svg  # `reviewed: 2025-09-30`, as German writes a date


def test_the_project_config_chooses_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "jmap.toml").write_text('lang = "fr"\n', encoding="utf-8")
    journey = tmp_path / "support.yaml"
    journey.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli(["build", str(journey), "-o", str(tmp_path / "maps"), "-f", "html"])
    assert result.exit_code == 0, result.stdout + result.stderr
    html = (tmp_path / "maps" / "omnichannel-support.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert "Objectif du client" in html


def test_an_unknown_language_is_a_located_error_naming_the_choices(tmp_path: Path) -> None:
    source = _journey(tmp_path, "deu")
    result = run_cli(["validate", str(source)])
    assert result.exit_code != 0
    assert f"{source}:6:7: error: lang must be one of en, de, fr, es, pt, ja" in (
        result.stdout + result.stderr
    )
    assert "(did you mean 'de'?)" in (result.stdout + result.stderr)
    assert "Traceback" not in (result.stdout + result.stderr)


# Every text a journey's author writes, replaced below by words of the target language, so that
# any English left in a map is one of jmap's own labels.
_AUTHORED = {
    "title", "name", "description", "text", "quote", "customer_goal", "business_goal", "owner",
    "actor", "when", "actions", "thoughts", "goals", "needs", "frustrations", "tags",
    "physical_evidence", "unit",
}  # fmt: skip
_WORD = {"de": "Beispiel", "fr": "Exemple", "es": "Ejemplo", "pt": "Exemplo", "ja": "例文"}
EXAMPLES = ["omnichannel-support", "support-blueprint", "b2b-software-purchase", "shoe-purchase"]


def _authored_in(data: object, code: str, key: str | None = None) -> object:
    if isinstance(data, dict):
        return {k: _authored_in(v, code, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_authored_in(v, code, key) for v in data]
    if isinstance(data, str) and key in _AUTHORED and data != "%":
        return f"{_WORD[code]} {len(data)}"
    return data


def _english_labels(code: str) -> set[str]:
    """The English fixed labels the catalogue of `code` says otherwise: each run of words of a
    msgid between its placeholders, long enough not to be part of any word."""
    catalog = read_po(io.BytesIO((LOCALES / f"{code}.po").read_bytes()), locale=code)
    labels = set()
    translated = " ".join(
        str(string)
        for message in catalog
        for string in (
            message.string if isinstance(message.string, tuple | list) else [message.string]
        )
    )
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for msgid in ids:
            if msgid in strings:
                continue  # the same word in both languages ("Backstage", "KPI")
            for part in re.split(r"\{\w+\}", str(msgid)):
                part = part.strip(" .,:;()'")
                # A word the target language also uses ("support" in French) is not English left.
                if ((len(part) >= 5 and " " in part) or len(part) >= 7) and part not in translated:
                    labels.add(part)
    # "{n} journey" leaves the bare word, which is also the keyword that opens every Mermaid
    # diagram (`journey`), in the .mmd files and the Markdown map's Mermaid block.
    labels.discard("journey")
    return labels


def _shown_text(path: Path) -> str:
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)  # a note for the file's editor
    # Code is the file format's own words (a pain point's `category: complexity`), not labels.
    text = re.sub(r"<code>.*?</code>" if path.suffix == ".html" else r"`[^`\n]*`", " ", text)
    if path.suffix in {".html", ".svg"}:
        # What a reader sees, not the class names, ids and CSS of the markup.
        text = re.sub(r"<style.*?</style>|<script.*?</script>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]*>", " ", text)
    return " ".join(text.split())


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGUAGES[1:])
def test_no_english_fixed_label_is_left_in_any_output(
    tmp_path: Path, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    journeys = tmp_path / "journeys"
    shutil.copytree(ROOT / "examples" / "data", journeys / "data")
    for name in EXAMPLES:
        data = yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8"))
        data["lang"] = code
        data["id"] = name.replace("-", "")[:8]  # an id in no language ("support" is English)
        (journeys / f"{name}.yaml").write_text(
            yaml.safe_dump(_authored_in(data, code), allow_unicode=True), encoding="utf-8"
        )
    (tmp_path / "jmap.toml").write_text(f'lang = "{code}"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # where the project config is found: the portfolio's language
    maps = tmp_path / "maps"
    formats = "svg,html,md,pdf,mermaid"
    result = run_cli(["build", str(journeys), "-o", str(maps), "-f", formats])
    assert result.exit_code == 0, result.stdout + result.stderr
    labels = _english_labels(code)
    # The journeys' own maps and the portfolio pages over them, in the project's language.
    outputs = [
        maps / f"{name.replace('-', '')[:8]}.{extension}"
        for name in EXAMPLES
        for extension in ("svg", "html", "md", "pdf", "mmd")
    ] + [maps / "index.html", maps / "index.md"]
    left = {}
    for path in outputs:
        shown = _shown_text(path)
        found = sorted(label for label in labels if re.search(rf"\b{re.escape(label)}\b", shown))
        if found:
            left[path.name] = found
    assert not left, (code, left)
