"""scripts/check_messages.py fails when two apps translate one message differently.

Django merges the apps' catalogues of a language into one (the first app in
INSTALLED_APPS wins), so such a collision shows one app's word on the other's pages.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import polib

ROOT = Path(__file__).resolve().parents[4]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_messages", ROOT / "scripts/check_messages.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_messages = _script()


def _catalogue(
    root: Path, app: str, entries: list[polib.POEntry], language: str = "zh_Hans"
) -> Path:
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for entry in entries:
        po.append(entry)
    path = root / app / "locale" / language / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    return path


def test_a_message_two_apps_translate_differently_is_reported_with_each_app(tmp_path) -> None:
    paths = [
        _catalogue(tmp_path, "registry", [polib.POEntry(msgid="Revoked", msgstr="已吊销")]),
        _catalogue(tmp_path, "cases", [polib.POEntry(msgid="Revoked", msgstr="已撤销")]),
        _catalogue(tmp_path, "portal", [polib.POEntry(msgid="Revoked", msgstr="已撤销")]),
    ]
    problems = check_messages.collisions(paths)
    assert len(problems) == 1, problems
    assert "zh_Hans" in problems[0] and "context None, msgid 'Revoked'" in problems[0]
    assert "cases: '已撤销'; portal: '已撤销'; registry: '已吊销'" in problems[0]


def test_contexts_tell_the_meanings_apart(tmp_path) -> None:
    paths = [
        _catalogue(
            tmp_path,
            "registry",
            [polib.POEntry(msgctxt="certificate status", msgid="Revoked", msgstr="已吊销")],
        ),
        _catalogue(
            tmp_path,
            "cases",
            [
                polib.POEntry(msgctxt="decision change", msgid="Revoked", msgstr="已撤销"),
                polib.POEntry(msgid="Search", msgstr="搜索"),
            ],
        ),
        _catalogue(tmp_path, "catalogue", [polib.POEntry(msgid="Search", msgstr="搜索")]),
    ]
    assert check_messages.collisions(paths) == []


def test_the_same_context_and_msgid_collide(tmp_path) -> None:
    paths = [
        _catalogue(
            tmp_path,
            "portal",
            [polib.POEntry(msgctxt="nav", msgid="Decisions", msgstr="处罚决定公示")],
        ),
        _catalogue(
            tmp_path,
            "statistics",
            [polib.POEntry(msgctxt="nav", msgid="Decisions", msgstr="决定数")],
        ),
    ]
    (problem,) = check_messages.collisions(paths)
    assert "context 'nav', msgid 'Decisions'" in problem
    assert "portal: '处罚决定公示'; statistics: '决定数'" in problem


def test_plural_forms_are_compared(tmp_path) -> None:
    def organs(form: str) -> polib.POEntry:
        return polib.POEntry(
            msgid="%(n)s organ", msgid_plural="%(n)s organs", msgstr_plural={0: form}
        )

    same = [
        _catalogue(tmp_path / "a", "portal", [organs("%(n)s 个机关")]),
        _catalogue(tmp_path / "a", "statistics", [organs("%(n)s 个机关")]),
    ]
    assert check_messages.collisions(same) == []
    differ = [
        _catalogue(tmp_path / "b", "portal", [organs("%(n)s 个机关")]),
        _catalogue(tmp_path / "b", "statistics", [organs("%(n)s 个执法主体")]),
    ]
    (problem,) = check_messages.collisions(differ)
    assert "msgid '%(n)s organ'" in problem and "'%(n)s 个执法主体'" in problem


def test_languages_untranslated_and_fuzzy_entries_are_not_compared(tmp_path) -> None:
    fuzzy = polib.POEntry(msgid="organ", msgstr="执法主体", flags=["fuzzy"])
    paths = [
        _catalogue(tmp_path, "registry", [polib.POEntry(msgid="organ", msgstr="机关")]),
        _catalogue(tmp_path, "cases", [fuzzy, polib.POEntry(msgid="region", msgstr="")]),
        _catalogue(tmp_path, "accounts", [polib.POEntry(msgid="region", msgstr="行政区划")]),
        _catalogue(tmp_path, "portal", [polib.POEntry(msgid="organ", msgstr="机構")], "zh_Hant"),
    ]
    assert check_messages.collisions(paths) == []


def test_the_script_fails_on_a_collision(tmp_path, monkeypatch, capsys) -> None:
    paths = [
        _catalogue(tmp_path, "accounts", [polib.POEntry(msgid="full name", msgstr="姓名")]),
        _catalogue(tmp_path, "catalogue", [polib.POEntry(msgid="full name", msgstr="全称")]),
    ]
    monkeypatch.setattr(check_messages, "LOCALE_DIRS", [p.parent for p in paths])
    monkeypatch.setattr(sys, "argv", ["check_messages.py", "--compile"])
    assert check_messages.main() == 1
    out = capsys.readouterr()
    assert "msgid 'full name'" in out.err and "accounts: '姓名'; catalogue: '全称'" in out.err
    assert "1 problem(s)" in out.out


def test_the_committed_catalogues_have_no_collision() -> None:
    paths = sorted(ROOT.glob("src/zhifa/*/locale/zh_Hans/LC_MESSAGES/django.po"))
    assert len(paths) > 10
    assert check_messages.collisions(paths) == []
