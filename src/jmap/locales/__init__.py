"""The message catalogues of jmap.i18n, one .po file per language."""
