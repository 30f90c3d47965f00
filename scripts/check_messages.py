"""Check (or, with --compile, build) the gettext catalogues without GNU gettext.

Every message in every locale's django.po must be translated and not fuzzy, and the
committed django.mo must hold exactly the .po's translations. ``--compile`` writes the
.mo files from the .po files (pure Python, via polib), so no msgfmt is needed.

``--extract`` also re-extracts every app's messages (Django's makemessages, which needs
GNU gettext's xgettext) in a temporary copy of the app, and fails when the code holds a
message its catalogue lacks — so a new UI string cannot ship untranslated. Without
xgettext that part is skipped with a note, except under CI=true, where it fails.

Django merges every app's catalogue of a language into one, the first app in
INSTALLED_APPS winning, so a message (context and msgid) that two apps translate
differently shows one app's word in the other's pages. Such a collision fails the check,
naming the message and each app's translation: use one translation where the meaning is
the same, else tell the meanings apart in the code with a context (``pgettext``,
``{% translate "..." context "..." %}``) or a more specific msgid.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIRS = sorted(ROOT.glob("src/zhifa/*/locale/*/LC_MESSAGES"))


def check(po_path: Path) -> list[str]:
    po = polib.pofile(str(po_path))
    problems = [
        f"{po_path}: untranslated: {e.msgid!r}" for e in po.untranslated_entries() if not e.obsolete
    ]
    problems += [f"{po_path}: fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [*problems, f"{mo_path}: missing (run: make messages)"]
    mo = polib.mofile(str(mo_path))
    expected = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po.translated_entries()
    }
    actual = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in mo
        if e.msgid
    }
    if expected != actual:
        problems.append(f"{mo_path}: out of date with {po_path.name} (run: make messages)")
    return problems


def _translation(entry: polib.POEntry) -> tuple[str, ...]:
    """What the catalogue makes of ``entry``: its msgstr, or its plural forms."""
    if entry.msgid_plural:
        return (entry.msgid_plural, *(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)))
    return (entry.msgstr,)


def _shown(translation: tuple[str, ...]) -> str:
    if len(translation) == 1:
        return repr(translation[0])
    plural, *forms = translation
    return f"(plural {plural!r}) " + " / ".join(repr(f) for f in forms)


def collisions(po_paths: Iterable[Path]) -> list[str]:
    """Messages that the apps' catalogues of one language translate differently.

    ``po_paths`` are ``<app>/locale/<language>/LC_MESSAGES/django.po`` files; only the
    translated, non-fuzzy entries count (the check above reports the others).
    """
    found: dict[tuple[str, str | None, str], dict[str, tuple[str, ...]]] = defaultdict(dict)
    for po_path in po_paths:
        app, language = po_path.parents[3].name, po_path.parents[1].name
        for entry in polib.pofile(str(po_path)).translated_entries():
            found[(language, entry.msgctxt, entry.msgid)][app] = _translation(entry)
    problems = []
    for (language, context, msgid), by_app in sorted(found.items(), key=lambda kv: str(kv[0])):
        if len(set(by_app.values())) > 1:
            apps = "; ".join(f"{app}: {_shown(t)}" for app, t in sorted(by_app.items()))
            problems.append(
                f"{language}: context {context!r}, msgid {msgid!r} translated differently by "
                f"the apps (Django keeps only one; use one translation or a context): {apps}"
            )
    return problems


def extraction_problems() -> list[str]:
    """Messages in the code that the committed catalogues do not translate."""
    import os
    import shutil
    import subprocess
    import tempfile

    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            return ["xgettext (GNU gettext) is missing: cannot check message extraction"]
        print("messages: xgettext not found; extraction check skipped", file=sys.stderr)
        return []
    zhifa = Path(sys.executable).with_name("zhifa")
    problems: list[str] = []
    for directory in LOCALE_DIRS:
        app = directory.parents[2]
        committed = polib.pofile(str(directory / "django.po"))
        known = {(e.msgctxt, e.msgid) for e in committed.translated_entries()}
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / app.name
            shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__", "var"))
            subprocess.run(  # noqa: S603 - fixed argv: our own zhifa command
                [str(zhifa), "makemessages", "-l", "zh_Hans", "--no-obsolete"],
                cwd=copy,
                check=True,
                capture_output=True,
            )
            fresh = polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))
            problems += [
                f"{app.name}: not in the catalogue (run: make messages): {e.msgid!r}"
                for e in fresh
                if not e.obsolete and (e.msgctxt, e.msgid) not in known
            ]
    return problems


def main() -> int:
    compile_ = "--compile" in sys.argv
    problems: list[str] = []
    for directory in LOCALE_DIRS:
        po_path = directory / "django.po"
        if compile_:
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        problems += check(po_path)
    problems += collisions(directory / "django.po" for directory in LOCALE_DIRS)
    if "--extract" in sys.argv:
        problems += extraction_problems()
    for p in problems:
        print(p, file=sys.stderr)
    if not LOCALE_DIRS:
        print("no catalogues found under src/zhifa/*/locale", file=sys.stderr)
        return 1
    print(f"messages: {len(LOCALE_DIRS)} catalogue(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
