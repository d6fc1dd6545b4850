"""Extract every label the maps show (`_()`, `N_()`, `ngettext` in src/jmap, and in its
templates) and bring each catalogue in src/jmap/locales up to date: new msgids added
untranslated, gone ones dropped. Run after changing a label; then translate what is new.

    python scripts/update_catalogues.py
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from jmap.i18n import LANGUAGES

SOURCE = Path(__file__).resolve().parent.parent / "src" / "jmap"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "gettext": None}
METHODS = [("**/templates/**.j2", "jinja2.ext:babel_extract"), ("**.py", "python")]
OPTIONS = {"**/templates/**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"}}


def template() -> Catalog:
    catalog = Catalog(project="jmap", fuzzy=False)
    for filename, line, message, comments, context in extract_from_dir(
        SOURCE, METHODS, OPTIONS, KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, locations=[(filename, line)], auto_comments=comments, context=context)
    return catalog


def untranslated(catalog: Catalog) -> list[str]:
    """The msgids of `catalog` with no translation, or a plural form left empty."""
    missing = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if message.id and not all(strings):
            missing.append(str(message.id))
    return missing


def main() -> None:
    pot = template()
    for code in LANGUAGES[1:]:
        path = SOURCE / "locales" / f"{code}.po"
        if path.exists():
            with path.open("rb") as file:
                catalog = read_po(file, locale=code)
        else:
            catalog = Catalog(locale=code, project="jmap", fuzzy=False)
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as file:
            write_po(
                file, catalog, omit_header=False, sort_output=True, width=100, no_location=True
            )
        missing = len(untranslated(catalog))
        print(f"{path.name}: {len(catalog)} messages, {missing} to translate")


if __name__ == "__main__":
    main()
