"""Refuse the weak passwords people actually choose here: a name, a place or the
product's name, in pinyin, with digits or symbols around it (``zhangwei123``,
``Jiaxing2026``, ``zhifazhifa``). Django's CommonPasswordValidator knows English lists
only; this one reads ``data/weak-password-words.txt`` (shipped with the code, no
network): a password whose letters, once the digits and symbols at either end are
taken off, are one to three of those words is refused."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WORDS_FILE = Path(__file__).resolve().parent / "data" / "weak-password-words.txt"

#: How many listed words a weak password may be made of (张+伟+伟: three).
MAX_WORDS = 3

_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@cache
def weak_words(path: Path = WORDS_FILE) -> frozenset[str]:
    lines = path.read_text("utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def _made_of_words(text: str, words: frozenset[str], left: int) -> bool:
    if not text:
        return True
    if left == 0:
        return False
    return any(
        text.startswith(word) and _made_of_words(text[len(word) :], words, left - 1)
        for word in words
        if len(word) <= len(text)
    )


def is_weak(password: str, words: frozenset[str] | None = None) -> bool:
    """Whether ``password`` is listed words with digits or symbols around them."""
    core = _EDGES.sub("", password).lower()
    return bool(core) and _made_of_words(core, words or weak_words(), MAX_WORDS)


class PinyinCommonPasswordValidator:
    """``AUTH_PASSWORD_VALIDATORS`` entry: refuses ``is_weak`` passwords."""

    def validate(self, password: str, user: Any = None) -> None:
        if is_weak(password):
            raise ValidationError(
                _(
                    "This password is too common: a name, a place or a word everyone "
                    "guesses, with digits around it. Choose words nobody would link to "
                    "you, or a longer mix."
                ),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _("Your password can't be a name, a place or a common word with digits added.")
