"""The reader's language: the fixed labels of every map from a message catalogue, and numbers
and dates as the reader's locale writes them.

The labels are written in English in the code and templates (the msgids); `src/jmap/locales/`
holds one gettext catalogue per other language (`de.po`, ...), which Babel reads and compiles in
memory the first time a process renders in that language (a few milliseconds; no compiled .mo
file to drift from its source). English needs no catalogue: its maps are the msgids themselves.

The language of a render is set with `language(code)` around it. It is a context variable, not
a global: two builds in two languages in one process (threads, `jmap serve`, tests) never mix.
Console messages and errors stay English; only what a map's reader sees is translated.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    import datetime

DEFAULT = "en"
# Every language a map can be written in (a journey's `lang:`); a catalogue
# src/jmap/locales/<code>.po for each but English. Adding one is adding its catalogue, its code
# here and its name below.
LanguageCode = Literal["en", "de", "fr", "es", "pt", "ja"]
LANGUAGES: tuple[str, ...] = get_args(LanguageCode)
NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "ja": "Japanese",
}
LOCALES = "jmap.locales"
DOMAIN = "jmap"


@dataclass(frozen=True)
class Language:
    code: str
    translations: gettext.NullTranslations


@functools.cache
def load(code: str) -> Language:
    """The language `code` (one of LANGUAGES) with its catalogue compiled."""
    if code == DEFAULT:
        return Language(code, gettext.NullTranslations())
    return Language(code, compiled(resources.files(LOCALES).joinpath(f"{code}.po").read_bytes()))


def compiled(po: bytes) -> gettext.GNUTranslations:
    """A .po catalogue as gettext's translations, compiled with Babel as `pybabel compile`
    would (fuzzy entries left out)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    mo = io.BytesIO()
    write_mo(mo, read_po(io.BytesIO(po)))
    mo.seek(0)
    return gettext.GNUTranslations(mo)


_active: ContextVar[Language] = ContextVar("jmap_language")


def current() -> Language:
    return _active.get(None) or load(DEFAULT)


@contextlib.contextmanager
def language(code: str | None) -> Iterator[Language]:
    """Render in `code` (English where None) within the block."""
    token = _active.set(load(code or DEFAULT))
    try:
        yield _active.get()
    finally:
        _active.reset(token)


def _(message: str) -> str:
    """`message` (an English label) in the language of the render."""
    return current().translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return current().translations.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a label for the catalogue where it is defined; `_()` translates it where shown."""
    return message


def unknown_language(code: str) -> str | None:
    """Why `code` cannot be a map's language, or None when it can."""
    if code in LANGUAGES:
        return None
    from jmap.errors import did_you_mean

    known = ", ".join(f"{known} ({NAMES[known]})" for known in LANGUAGES)
    return f"unknown language '{code}'{did_you_mean(code, LANGUAGES)}; choose from {known}"


def decimal(value: float, digits: int = 1) -> str:
    """`value` with `digits` decimals, as the reader writes it: '2.5', '2,5' in German."""
    code = current().code
    if code == DEFAULT:
        return f"{value:.{digits}f}"
    from babel.numbers import format_decimal

    pattern = "0." + "0" * digits if digits else "0"
    return format_decimal(value, format=pattern, locale=code)


def number(value: object) -> str:
    """A number as written in the journey (an int or a float), in the reader's locale:
    '1.5' reads '1,5' in German; anything else is shown as it is."""
    code = current().code
    if code == DEFAULT or isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    from babel.numbers import format_decimal

    return format_decimal(value, locale=code, group_separator=False)


def date(day: datetime.date) -> str:
    """A date as the reader writes it: '2025-03-31' in English (as the journey has it),
    '31.03.2025' in German, '2025/03/31' in Japanese."""
    code = current().code
    if code == DEFAULT:
        return day.isoformat()
    from babel.dates import format_date

    return format_date(day, format="medium", locale=code)
