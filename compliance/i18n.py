"""The language of what a user reads: Chinese, the language of the source strings, unless the
locale asks for English (``LC_ALL``, else ``LC_MESSAGES``, else ``LANG`` starting with "en", the
order gettext reads them in); C, POSIX or nothing set is Chinese too, as the tool's users are.

English is a gettext catalogue, compliance/locale/en/LC_MESSAGES/compliance.po (msgid Chinese,
msgstr English), read with Babel when English is first asked for: a Chinese run reads no
catalogue and imports no Babel. A message with values has named fields, formatted after the
translation: ``_("文件过大：{size}").format(size=…)``; a count in English, ``ngettext`` (one Chinese
form, two English); a constant compared before it is shown, ``N_`` where it is written and ``_``
where it is shown. click's own texts have a Chinese catalogue of their own,
compliance/locale/zh_CN/LC_MESSAGES/click.po (msgid click's English): compiled once into the cache
folder and installed by compliance/cli.py, for click asks for a message on every run."""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "compliance"
LOCALE = Path(__file__).parent / "locale"


def language() -> str:
    """The language of messages, "en" or "zh": the first of LC_ALL, LC_MESSAGES, LANG set decides."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "en" if value.startswith("en") else "zh"
    return "zh"


class Catalogue(gettext.NullTranslations):
    """The translations of a .po file (no compiled .mo: it would be a generated file to keep in step)."""

    def __init__(self, path: Path):
        super().__init__()
        from babel.messages.pofile import read_po  # only here: Chinese runs never need it

        with path.open("rb") as stream:
            catalogue = read_po(stream)
        translated = [m for m in catalogue if m.id and m.string and not m.fuzzy]
        self.messages = {str(m.id): str(m.string) for m in translated if not m.pluralizable}
        self.plurals = {str(m.id[0]): tuple(map(str, m.string or ())) for m in translated if m.pluralizable}

    def gettext(self, message: str) -> str:
        return self.messages.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = self.plurals.get(singular)
        if forms is None:
            return super().ngettext(singular, plural, n)
        return forms[0 if n == 1 or len(forms) == 1 else 1]  # English: one, other; Chinese: one form


@cache
def translations() -> gettext.NullTranslations:
    """The translations for the language asked for, read once a process."""
    if language() == "en":
        return Catalogue(LOCALE / "en" / "LC_MESSAGES" / f"{DOMAIN}.po")
    return gettext.NullTranslations()


def _(message: str) -> str:
    """``message`` (Chinese) in the user's language."""
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` (Chinese has one: ``singular`` and ``plural`` are the same)."""
    return translations().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """``message`` as it is: marks a constant translated where it is shown, with ``_``."""
    return message


def install_click(translations: gettext.NullTranslations) -> None:
    """click's own messages ("Usage:", "Missing argument" …) from ``translations``: click 8 calls the
    gettext functions it imported into each of its modules, so those names are replaced. Called
    once the commands are declared: click names its types then ("path", "file"), as metavars."""
    import importlib

    for name in ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            setattr(module, "_", translations.gettext)  # noqa: B010 — a name click imported
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", translations.ngettext)  # noqa: B010
