"""Reviewer's walk of issue #16 (complaints and reports, the party's own view,
interference records, the supervisor's complaint desk) in headless Chromium.

Not a test: it drives a running demo server as its users would, at phone width
(390x844) and desktop width (1280x800), saves a full-page screenshot of every page
under ``shots/`` and prints, per page, the HTTP status, the time it took, horizontal
overflow at phone width and English words left in the zh-hans UI.

    export PYTHONPATH=$PWD/src DJANGO_SETTINGS_MODULE=zhifa.settings.demo
    zhifa demo && zhifa serve --host 127.0.0.1 --port 8116 --with-worker &
    /work/main/.venv/bin/python scripts/walks/walk16.py [--base URL] [stage ...]

Stages run in order and hand numbers and codes to each other through
``shots/state.json``; with no stage named, all run. A fresh demo database is expected
(the demo's complaint access code is read from the ``--demo-output`` file, if given).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "shots"
STATE = SHOTS / "state.json"
PASSWORD = "Zhifa-demo-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]

# Latin tokens that are fine in the zh-hans UI (codes, units, rule IDs, formats).
ALLOWED = re.compile(
    r"^(PDF|JPEG|JPG|PNG|MB|KB|SM3|SM2|API|ID|URL|HTTP|HTTPS|QR|Office|OK|CSV|JSON|XML|"
    r"Zhifa|zhifa|GB|Excel|Word|WAV|MP4|OFD|ARL|ALitL|APL|ACL|JL|NA|CQ|COMPLAINT|REMEDY|"
    r"bytes|yuan|English)$"
)
RULE_ID = re.compile(r"\b[A-Z]{2,}(?:-[A-Za-z0-9]+)+\b")


class Walker:
    def __init__(self, browser: Browser, base: str, width: str) -> None:
        self.base = base.rstrip("/")
        self.width = width
        self.browser = browser
        self.context = browser.new_context(
            viewport=PHONE if width == "phone" else DESKTOP,
            locale="zh-CN",
            is_mobile=width == "phone",
            has_touch=width == "phone",
        )
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(20000)
        self.console: list[str] = []
        self.page.on(
            "console", lambda m: self.console.append(m.text) if m.type == "error" else None
        )
        self.last_status: int | None = None
        self.page.on("response", self._on_response)

    def _on_response(self, response: Any) -> None:
        if response.request.resource_type == "document":
            self.last_status = response.status

    def close(self) -> None:
        self.context.close()

    # -- navigation ---------------------------------------------------------------------
    def go(self, path: str, name: str) -> Page:
        start = time.monotonic()
        self.last_status = None
        self.page.goto(self.base + path, wait_until="load")
        self.report(name, time.monotonic() - start)
        return self.page

    def submit(self, locator: Any, name: str) -> Page:
        """Click a submit button and wait for the next document."""
        start = time.monotonic()
        self.last_status = None
        with self.page.expect_navigation(wait_until="load"):
            locator.click()
        self.report(name, time.monotonic() - start)
        return self.page

    def submit_empty(self, form: str, name: str) -> Page:
        """A form submitted with a required field left empty: what the browser says,
        then (validation off) what the server says."""
        message = self.page.evaluate(
            """(sel) => { const f = document.querySelector(sel);
            const bad = f.querySelector(':invalid'); return bad ? bad.validationMessage : ''; }""",
            form,
        )
        print(f"      browser blocks {form}: {message!r}")
        self.page.evaluate("(sel) => { document.querySelector(sel).noValidate = true; }", form)
        return self.submit(self.page.locator(f"{form} button[type=submit]"), name)

    def login(self, username: str) -> None:
        self.go("/accounts/login/", f"login-{username}")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.submit(self.page.locator("form.form button[type=submit]"), f"after-login-{username}")

    def logout(self) -> None:
        self.context.clear_cookies()

    # -- checks -------------------------------------------------------------------------
    def report(self, name: str, seconds: float) -> None:
        page = self.page
        tag = "P" if self.width == "phone" else "D"
        path = SHOTS / f"{tag}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        notes: list[str] = []
        if self.last_status is not None and self.last_status >= 400:
            notes.append(f"HTTP {self.last_status}")
        if seconds > 1.0:
            notes.append(f"SLOW {seconds:.2f}s")
        if self.width == "phone":
            wide = page.evaluate(
                """() => {
                const w = document.documentElement.clientWidth;
                const out = [];
                if (document.documentElement.scrollWidth > w + 1)
                    out.push('page scrollWidth ' + document.documentElement.scrollWidth);
                for (const el of document.querySelectorAll('body *')) {
                    const r = el.getBoundingClientRect();
                    if (r.width && r.right > w + 2 && getComputedStyle(el).position !== 'fixed') {
                        let p = el.parentElement, clipped = false;
                        while (p) { const o = getComputedStyle(p).overflowX;
                            if (['auto', 'scroll', 'hidden'].includes(o)) { clipped = true; break; }
                            p = p.parentElement; }
                        const cls = typeof el.className === 'string' && el.className
                            ? '.' + el.className.split(' ')[0] : '';
                        if (!clipped) out.push(el.tagName.toLowerCase()
                            + (el.id ? '#' + el.id : '') + cls + ' right=' + Math.round(r.right));
                    }
                    if (out.length > 6) break;
                }
                return out;
            }"""
            )
            if wide:
                notes.append("OVERFLOW " + "; ".join(wide))
        text = page.evaluate("() => document.title + '\\n' + document.body.innerText")
        english = sorted(
            {
                w
                for w in re.findall(r"[A-Za-z][A-Za-z']{2,}", RULE_ID.sub(" ", text))
                if not ALLOWED.match(w)
            }
        )
        if english:
            notes.append("EN " + " ".join(english[:25]))
        if self.console:
            notes.append("CONSOLE " + " | ".join(self.console[:3]))
            self.console.clear()
        status = self.last_status if self.last_status is not None else "-"
        print(
            f"[{tag}] {name:<34} {status} {seconds:5.2f}s {page.url.replace(self.base, '')}"
            + ("\n      " + "\n      ".join(notes) if notes else ""),
            flush=True,
        )


# -- helpers --------------------------------------------------------------------------------


def load_state() -> dict[str, Any]:
    return json.loads(STATE.read_text()) if STATE.exists() else {}


def save_state(state: dict[str, Any]) -> None:
    STATE.write_text(json.dumps(state, ensure_ascii=False, indent=2))


def photo(path: Path, color: str = "orange", fmt: str = "JPEG") -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 240), color)
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 40, 280, 200), outline="black", width=4)
    draw.text((60, 110), "expired meat, kitchen", fill="black")
    img.save(path, fmt)
    return path


def fake_files() -> dict[str, Path]:
    tmp = SHOTS / "files"
    tmp.mkdir(parents=True, exist_ok=True)
    files = {
        "jpeg": photo(tmp / "kitchen.jpg"),
        "png": photo(tmp / "shelf.png", "lightblue", "PNG"),
    }
    exe = tmp / "invoice.pdf"  # claims to be a PDF, is not
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 2000)
    files["fake_pdf"] = exe
    txt = tmp / "notes.txt"
    txt.write_text("plain text, not allowed")
    files["txt"] = txt
    big = tmp / "big.jpg"  # a real JPEG followed by 11 MB of padding
    big.write_bytes(files["jpeg"].read_bytes() + b"\x00" * (11 * 1024 * 1024))
    files["big"] = big
    return files


def text_of(page: Page, selector: str) -> str:
    loc = page.locator(selector)
    return loc.first.inner_text() if loc.count() else ""


def errors_on(page: Page) -> list[str]:
    return [
        t.strip()
        for t in page.locator("[role=alert], .p-error, .errors, p.error").all_inner_texts()
    ]


# -- stages ---------------------------------------------------------------------------------


def stage_citizen(browser: Browser, base: str, state: dict[str, Any]) -> None:
    """A citizen on a phone: bad input first, then an anonymous report with a photo,
    then following it with number and code."""
    files = fake_files()
    w = Walker(browser, base, "phone")
    w.go("/", "c01-portal-home")
    links = w.page.locator("a").all_inner_texts()
    print("      home links to complaints:", [t for t in links if "投诉" in t or "举报" in t])
    w.go("/complaints/file/", "c02-file-empty")
    # 1. submit everything empty
    w.submit(w.page.locator("form.c-form button[type=submit]"), "c03-file-all-empty")
    print("      errors:", errors_on(w.page)[:8])
    # 2. fill some, wrong file type, huge text
    page = w.page
    page.select_option("#id_category", "food_safety")
    page.select_option("#id_region", "330402")
    page.fill("#id_address", "嘉兴市南湖区某某路88号某某饭店")
    page.evaluate("document.querySelector('#id_description').removeAttribute('maxlength')")
    page.fill("#id_description", "后厨存放过期肉类。" * 700)
    page.set_input_files("#id_attachments", [str(files["txt"])])
    w.submit(page.locator("form.c-form button[type=submit]"), "c04-file-huge-text-txt-file")
    print("      errors:", errors_on(page)[:8])
    kept = {
        "category": page.input_value("#id_category"),
        "region": page.input_value("#id_region"),
        "address": page.input_value("#id_address"),
        "description length": len(page.input_value("#id_description")),
    }
    print("      kept:", kept)
    # 3. a file pretending to be a PDF
    page.fill("#id_description", "该饭店后厨存放过期肉类，并用于加工菜品。")
    page.set_input_files("#id_attachments", [str(files["fake_pdf"])])
    w.submit(page.locator("form.c-form button[type=submit]"), "c05-file-fake-pdf")
    print("      errors:", errors_on(page)[:8])
    # 4. a too-big photo
    page.set_input_files("#id_attachments", [str(files["big"])])
    w.submit(page.locator("form.c-form button[type=submit]"), "c06-file-big-photo")
    print("      errors:", errors_on(page)[:8])
    # 5. a bad certificate number on a report
    page.fill("#id_subject_certificate", "NOPE-123")
    page.set_input_files("#id_attachments", [])
    w.submit(page.locator("form.c-form button[type=submit]"), "c07-file-bad-certificate")
    print("      errors:", errors_on(page)[:8])
    page.fill("#id_subject_certificate", "")
    # 6. the real anonymous report with two photos
    page.fill(
        "#id_description",
        "该饭店后厨存放过期肉类，并用于加工菜品，今天中午又看到员工从冷柜取出过期冻肉。附照片两张。",
    )
    page.set_input_files("#id_attachments", [str(files["jpeg"]), str(files["png"])])
    w.submit(page.locator("form.c-form button[type=submit]"), "c08-file-receipt")
    number = text_of(page, "#number").strip()
    code = text_of(page, "#code").strip()
    print("      receipt:", number, code)
    state["report"] = {"number": number, "code": code}
    save_state(state)
    # receipt page reload: does it file a second time?
    start = time.monotonic()
    page.reload()
    w.report("c09-receipt-reloaded", time.monotonic() - start)
    again = text_of(page, "#number").strip()
    print("      after reload:", again, text_of(page, "#code").strip())
    if again and again != number:
        print("      !!! reloading the receipt filed a second time:", again)
        state["dup"] = {"number": again, "code": text_of(page, "#code").strip()}
        save_state(state)
    # follow it: wrong code first
    w.go("/complaints/follow/", "c10-follow-form")
    page.fill("#id_number", number)
    page.fill("#id_code", "WRONGWRONG12")
    w.submit(page.locator("form.c-form button[type=submit]"), "c11-follow-wrong-code")
    print("      errors:", errors_on(page)[:4])
    page.fill("#id_number", number)
    page.fill("#id_code", code.lower().replace("-", " "))
    w.submit(page.locator("form.c-form button[type=submit]"), "c12-follow-status")
    # the demo's filing, accepted with progress
    demo = state.get("demo_report")
    if demo:
        w.go("/complaints/follow/", "c13-follow-form-demo")
        page.fill("#id_number", demo["number"])
        page.fill("#id_code", demo["code"])
        w.submit(page.locator("form.c-form button[type=submit]"), "c14-follow-demo-status")
    w.close()


def stage_named(browser: Browser, base: str, state: dict[str, Any]) -> None:
    """A named complaint about officer 张伟's conduct (desktop), then the same on a phone
    as a different citizen about the county organ."""
    w = Walker(browser, base, "desktop")
    w.go("/complaints/file/", "n01-file")
    page = w.page
    page.select_option("#id_category", "conduct")
    page.select_option("#id_region", "330400")
    page.fill("#id_address", "嘉兴市南湖区某某路88号（检查现场）")
    page.fill(
        "#id_description",
        "2026年12月1日上午，执法人员在检查我店时未出示执法证件，态度粗暴，并要求我店停业。",
    )
    page.select_option("#id_subject_organ", label="嘉兴市市场监督管理局")
    page.fill("#id_subject_certificate", "330400-0001")
    page.fill("#id_filer_name", "陈秘密")
    page.fill("#id_filer_contact", "13712345678")
    w.submit(page.locator("form.c-form button[type=submit]"), "n02-receipt")
    number = text_of(page, "#number").strip()
    code = text_of(page, "#code").strip()
    print("      receipt:", number, code)
    state["named"] = {"number": number, "code": code, "name": "陈秘密", "contact": "13712345678"}
    save_state(state)
    w.go("/complaints/follow/", "n03-follow")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    w.submit(page.locator("form.c-form button[type=submit]"), "n04-follow-status")
    w.close()


def complaint_pk(w: Walker, number: str) -> int:
    """The desk link of a filing, found through the desk's list (as a user would)."""
    link = w.page.locator(f"a:text-is('{number}')")
    href = link.first.get_attribute("href") or ""
    return int(re.search(r"/desk/(\d+)/", href).group(1))  # type: ignore[union-attr]


def stage_officer(browser: Browser, base: str, state: dict[str, Any]) -> None:
    """The receiving organ's officer: work list with clocks, desk, accept with a note,
    reject without reasons (error), progress, enter as case source, case page link."""
    report = state["report"]["number"]
    for width in ("phone", "desktop"):
        w = Walker(browser, base, width)
        w.login("officer")
        w.go("/cases/", "o01-work-list")
        w.go("/complaints/desk/", "o02-desk")
        pk = complaint_pk(w, report)
        state.setdefault("pks", {})["report"] = pk
        w.go(f"/complaints/desk/{pk}/", "o03-detail-received")
        w.close()
    save_state(state)
    w = Walker(browser, base, "desktop")
    w.login("officer")
    page = w.page
    pk = state["pks"]["report"]
    w.go(f"/complaints/desk/{pk}/", "o04-detail")
    if page.locator("#accept-form").count():
        w.submit_empty("#reject-form", "o05-reject-empty")
        print("      errors:", errors_on(page)[:4])
        page.fill("#accept-form textarea", "已受理。我局将于三个工作日内派员到现场核查。")
        w.submit(page.locator("#accept-form button[type=submit]"), "o06-accepted")
        w.submit_empty("#progress-form", "o07-progress-empty")
        print("      errors:", errors_on(page)[:4])
        page.fill(
            "#progress-form textarea",
            "12月4日执法人员到现场检查，查见冷柜内过期冻肉12公斤，已先行登记保存。",
        )
        w.submit(page.locator("#progress-form button[type=submit]"), "o08-progress")
        # attachment of the filing
        links = page.locator("a[href*='/attachments/']")
        print("      attachments:", links.all_inner_texts())
        if links.count():
            with (
                page.expect_popup()
                if links.first.get_attribute("target")
                else page.expect_download() as info
            ):
                links.first.click()
            print("      attachment opened:", info.value)
    # close our report with a result (the filer will dispute it)
    if page.locator("#close-form").count():
        w.submit_empty("#close-form", "o09-close-empty")
        print("      errors:", errors_on(page)[:4])
        page.fill(
            "#close-form textarea",
            "经现场检查，未发现该饭店存放过期肉类，已责令其规范进货查验记录。感谢您的举报。",
        )
        w.submit(page.locator("#close-form button[type=submit]"), "o10-closed")
    w.go("/cases/new/", "o11-case-open-form-for-comparison")
    w.close()


def uscc(body: str) -> str:
    """A unified social credit code with its GB 32100 check character."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(chars.index(c) * wt for c, wt in zip(body, weights, strict=True))
    return body + chars[(31 - total % 31) % 31]


def stage_casesource(browser: Browser, base: str, state: dict[str, Any]) -> None:
    """The officer turns the demo's accepted report into a case source; the case page
    links the filing and back; then closes the filing with a result."""
    number = state["demo_report"]["number"]
    w = Walker(browser, base, "desktop")
    w.login("officer")
    page = w.page
    w.go("/complaints/desk/", "s01-desk")
    pk = complaint_pk(w, number)
    state.setdefault("pks", {})["demo_report"] = pk
    w.go(f"/complaints/desk/{pk}/", "s02-detail")
    start = time.monotonic()
    page.locator("a:has-text('案源')").first.click()
    page.wait_for_load_state("load")
    w.report("s03-enter-case-form", time.monotonic() - start)
    w.submit_empty("form.case-open", "s04-enter-case-empty")
    print("      errors:", page.locator(".error, [role=alert]").all_inner_texts()[:10])
    options = page.locator("#id_power_item option").all_inner_texts()
    print("      power items:", options)
    page.select_option("#id_power_item", index=1)
    page.fill("#id_party_name", "嘉兴市南湖区某某饭店")
    page.select_option("#id_party_type", "organisation")
    page.fill("#id_party_uscc", uscc("91330402MA2B3C4D5"))
    page.fill("#id_occurred_on", "2026-12-03")
    page.fill("#id_discovered_on", "2026-12-03")
    page.fill("#id_law", "中华人民共和国食品安全法")
    page.fill("#id_article", "第一百二十二条第一款")
    page.locator("input[name=penalty_types]").nth(1).check()
    page.locator("input[name=penalty_types]").nth(2).check()
    w.submit(page.locator("form.case-open button[type=submit]"), "s05-case-page")
    errors = page.locator(".error, [role=alert]").all_inner_texts()
    print("      errors:", errors[:10])
    if "/cases/" in page.url and "/complaints/" not in page.url:
        state["case_url"] = page.url.replace(base, "")
        links = page.locator("a[href*='/complaints/desk/']").all_inner_texts()
        print("      case page links to filing:", links)
    save_state(state)
    w.go(f"/complaints/desk/{pk}/", "s06-detail-with-case")
    print("      case link on filing:", text_of(page, "#case-link"))
    w.submit_empty("#close-form", "s07-close-empty")
    page.fill(
        "#close-form textarea",
        "经查，该饭店存放过期冻肉属实，我局已立案调查，扣押过期冻肉12公斤，并将依法作出处理。感谢您的举报。",
    )
    w.submit(page.locator("#close-form button[type=submit]"), "s08-closed")
    w.close()


def follow(w: Walker, number: str, code: str, name: str) -> Page:
    w.go("/complaints/follow/", f"{name}-form")
    w.page.fill("#id_number", number)
    w.page.fill("#id_code", code)
    return w.submit(w.page.locator("form.c-form button[type=submit]"), name)


def stage_dispute(browser: Browser, base: str, state: dict[str, Any]) -> None:
    """The filer on a phone: sees the result of its closed report and disputes it."""
    w = Walker(browser, base, "phone")
    page = w.page
    follow(w, state["demo_report"]["number"], state["demo_report"]["code"], "f01-demo-result")
    r = state["report"]
    follow(w, r["number"], r["code"], "f02-result")
    print("      result:", text_of(page, "#result")[:60], "| status:", text_of(page, "#status"))
    if page.locator("form[action$='/dispute/']").count():
        w.submit_empty("form[action$='/dispute/']", "f03-dispute-empty")
        print("      errors:", errors_on(page)[:4])
        page.fill(
            "form[action$='/dispute/'] textarea",
            "今天中午我又看到该饭店从冷柜里取出过期冻肉加工，问题并未解决，请再次核查。",
        )
        w.submit(page.locator("form[action$='/dispute/'] button[type=submit]"), "f04-disputed")
        print(
            "      status:",
            text_of(page, "#status"),
            "| dispute form still there:",
            page.locator("form[action$='/dispute/']").count(),
        )
    follow(w, r["number"], r["code"], "f05-after-dispute")
    w.close()


def stage_supervisor(browser: Browser, base: str, state: dict[str, Any]) -> None:
    """The justice bureau's supervisor: desk with filters, statistics, second look
    (reopen), reassignment; handling the conduct complaint (it goes to the bureau)."""
    for width in ("phone", "desktop"):
        w = Walker(browser, base, width)
        w.login("supervisor")
        w.go("/complaints/desk/", "v01-desk")
        w.go("/complaints/desk/?status=disputed", "v02-desk-disputed")
        w.go("/complaints/desk/?overdue=1", "v03-desk-overdue")
        w.go("/complaints/desk/?category=conduct", "v04-desk-conduct")
        w.go(
            "/complaints/desk/?status=bogus&organ=abc&category=%3Cscript%3E", "v05-desk-bad-filter"
        )
        w.close()
    w = Walker(browser, base, "desktop")
    w.login("supervisor")
    page = w.page
    w.go("/complaints/desk/", "v06-desk")
    print(
        "      organ filter options:", page.locator("select[name=organ] option").all_inner_texts()
    )
    pk = state["pks"]["report"]
    w.go(f"/complaints/desk/{pk}/", "v07-disputed-detail")
    print("      title:", page.title()[:120])
    if page.locator("#review-form").count():
        w.submit_empty("#review-form", "v08-review-empty")
        print("      errors:", errors_on(page)[:4])
        page.select_option("#review-form select", "reopen")
        page.fill("#review-form textarea", "举报人反映问题仍存在，请承办单位重新核查并告知结果。")
        w.submit(page.locator("#review-form button[type=submit]"), "v09-reopened")
        print("      status:", text_of(page, "#status"))
    # the conduct complaint about 张伟 (to the justice bureau)
    w.go("/complaints/desk/?category=conduct", "v10-conduct-list")
    pk2 = complaint_pk(w, state["named"]["number"])
    state["pks"]["named"] = pk2
    save_state(state)
    w.go(f"/complaints/desk/{pk2}/", "v11-conduct-detail")
    print("      filer:", text_of(page, "#filer"))
    print("      title:", page.title()[:200])
    if page.locator("#accept-form").count():
        page.fill("#accept-form textarea", "已受理，我局将调查核实。")
        w.submit(page.locator("#accept-form button[type=submit]"), "v12-conduct-accepted")
    # reassign the consumer dispute (to the city's comprehensive enforcement bureau)
    w.go("/complaints/desk/?category=consumer_dispute", "v13-consumer-list")
    pk3 = complaint_pk(w, "330400-2026-000001")
    w.go(f"/complaints/desk/{pk3}/", "v14-consumer-detail")
    if page.locator("#reassign-form").count():
        print("      reassign to:", page.locator("#reassign-form select option").all_inner_texts())
        w.submit_empty("#reassign-form", "v15-reassign-empty")
        print("      errors:", errors_on(page)[:4])
        page.select_option("#reassign-form select", label="嘉兴市综合行政执法局")
        page.fill("#reassign-form textarea", "测试改派：请核实管辖。")
        w.submit(page.locator("#reassign-form button[type=submit]"), "v16-reassigned")
        print("      unit now:", page.locator("dl.facts").inner_text()[:300].replace("\n", " | "))
    w.close()


SECRETS_FOUND: list[str] = []


def hunt(w: Walker, secrets: list[str], where: str) -> None:
    """Whether any of ``secrets`` shows on the current page (text or HTML)."""
    html = w.page.content()
    for secret in secrets:
        if secret in html:
            SECRETS_FOUND.append(f"{secret} on {where} ({w.page.url})")
            print(f"      !!! LEAK {secret} on {where}")


def stage_subject(browser: Browser, base: str, state: dict[str, Any]) -> None:
    """Officer 张伟, named in the conduct complaint, and his organ's head: they must
    never see the filer (name, contact) anywhere they can reach."""
    named = state["named"]
    secrets = [named["name"], named["contact"], named["number"]]
    pk = state["pks"]["named"]
    for user in ("officer", "head"):
        w = Walker(browser, base, "desktop")
        w.login(user)
        hunt(w, secrets, "home")
        for path, name in [
            ("/cases/", "work-list"),
            ("/complaints/desk/", "desk"),
            ("/complaints/desk/?category=conduct", "desk-conduct"),
            (f"/complaints/desk/{pk}/", "named-detail"),
            (f"/complaints/desk/{pk}/attachments/1/", "named-attachment"),
            ("/supervision/interference/", "interference-list"),
            ("/records/entries/", "records-entries"),
            (f"/records/timeline/complaints.complaint/{pk}/", "records-timeline"),
            ("/api/v1/complaints", "api-list"),
            (f"/api/v1/complaints/{pk}", "api-detail"),
            ("/statistics/", "statistics"),
        ]:
            try:
                w.go(path, f"x-{user}-{name}")
            except Exception as exc:  # a download, for instance
                print(f"      {path}: {exc.__class__.__name__} {str(exc)[:80]}")
                continue
            hunt(w, secrets, f"{user} {name}")
        w.close()
    print("      leaks found:", SECRETS_FOUND or "none")


def stage_interference(browser: Browser, base: str, state: dict[str, Any]) -> None:
    """Officer 李娜 records an attempt to interfere in a case; the head and the
    justice bureau's supervisor see it; the head acknowledges it."""
    w = Walker(browser, base, "phone")
    w.login("officer2")
    page = w.page
    w.go("/cases/?q=" + "鼎香", "i01-find-case")
    href = page.locator("a[href^='/cases/']").filter(has_text="13号").first.get_attribute("href")
    case_path = href or "/cases/15/"
    state["interference_case"] = case_path
    save_state(state)
    w.go(case_path, "i02-case-page")
    start = time.monotonic()
    page.locator("a[href*='/interference/new/']").first.click()
    page.wait_for_load_state("load")
    w.report("i03-interference-form", time.monotonic() - start)
    w.submit_empty("#interference-form", "i04-interference-empty")
    print("      errors:", errors_on(page)[:10])
    page.fill("#id_occurred_at", "2026-12-02T15:30")
    page.select_option("#id_source", "other_organ")
    page.fill("#id_person_name", "钱某某")
    page.fill("#id_person_unit", "嘉兴市某某局")
    page.fill("#id_person_position", "副局长")
    page.select_option("#id_method", "phone")
    page.fill("#id_request", "来电要求对该调味品厂“从轻处理，不要罚款”，称该厂是招商引资重点企业。")
    page.fill("#id_response", "已告知对方案件依法办理，不接受打招呼，并如实记录。")
    page.set_input_files("#id_file", str(photo(SHOTS / "files" / "call-log.png", "white", "PNG")))
    w.submit(page.locator("#interference-form button[type=submit]"), "i05-interference-recorded")
    print("      errors:", errors_on(page)[:10])
    w.close()
    for user, width in (("head", "desktop"), ("head", "phone"), ("supervisor", "desktop")):
        w = Walker(browser, base, width)
        w.login(user)
        page = w.page
        w.go("/supervision/interference/", f"i06-{user}-list")
        first = page.locator("a[href^='/supervision/interference/']").filter(
            has_text=re.compile(r"\S")
        )
        hrefs = [
            h
            for h in (first.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
            if re.search(r"/interference/\d+/$", h)
        ]
        print("      records:", hrefs)
        if hrefs:
            w.go(hrefs[0], f"i07-{user}-detail")
            if user == "head" and width == "desktop" and page.locator("textarea").count():
                w.submit_empty("form:has(textarea)", "i08-head-ack-empty")
                page.fill("textarea", "已阅，已向纪检部门报告，并提醒办案人员依法办理。")
                w.submit(
                    page.locator("form:has(textarea) button[type=submit]"), "i09-head-acknowledged"
                )
        w.go(case_path, f"i10-{user}-case-page")
        w.close()


def reissue(w: Walker, case_pk: int, name: str) -> tuple[str, str]:
    """The officer re-issues the party's access code from the case page; returns the
    case number and the new code as shown."""
    page = w.page
    w.go(f"/cases/{case_pk}/", f"{name}-case")
    start = time.monotonic()
    page.locator("a:has-text('当事人查询码')").first.click()
    page.wait_for_load_state("load")
    w.report(f"{name}-reissue-page", time.monotonic() - start)
    w.submit(page.locator("form.form button[type=submit]"), f"{name}-reissued")
    code = page.locator(".card .big strong").inner_text().strip()
    number = page.locator("h1").inner_text().split("·")[-1].strip()
    return number, code


def party_sign_in(w: Walker, number: str, code: str, name: str) -> Page:
    w.go("/party/", f"{name}-sign-in")
    w.page.fill("#id_number", number)
    w.page.fill("#id_code", code)
    return w.submit(w.page.locator("form button[type=submit]").last, name)


def stage_party(browser: Browser, base: str, state: dict[str, Any]) -> None:
    """A party with its case number and access code (re-issued by the officer, as the
    demo prints none): steps, served documents, periods, money; statement, consent,
    hearing request; rating after the decision."""
    w = Walker(browser, base, "desktop")
    w.login("officer")
    codes = {}
    for pk in (5, 9, 14):
        codes[pk] = reissue(w, pk, f"p00-{pk}")
        print("      code:", pk, codes[pk])
    w.close()
    state["party_codes"] = {str(k): v for k, v in codes.items()}
    save_state(state)
    # the notified case on a phone
    w = Walker(browser, base, "phone")
    page = w.page
    number, code = codes[5]
    party_sign_in(w, number, "AAAA-BBBB-CCCC", "p01-wrong-code")
    print("      errors:", errors_on(page)[:3])
    party_sign_in(w, "", "", "p02-empty")
    print("      errors:", errors_on(page)[:3])
    party_sign_in(w, number, code.lower().replace("-", " "), "p03-case")
    for section in ("deadlines", "act", "money", "steps", "documents", "consent", "rating"):
        txt = text_of(page, f"#{section}").replace("\n", " | ")
        print(f"      #{section}: {txt[:260]}")
    docs = page.locator("#documents a")
    if docs.count():
        with page.expect_download() as info:
            docs.first.click()
        print("      document download:", info.value.suggested_filename)
    if page.locator("form[action$='/statement/']").count():
        w.submit_empty("form[action$='/statement/']", "p04-statement-empty")
        print("      errors:", errors_on(page)[:3])
        page.fill(
            "form[action$='/statement/'] textarea",
            "本公司对告知书认定的事实有异议：涉案产品系试制样品，未对外销售，请求从轻处罚。",
        )
        w.submit(
            page.locator("form[action$='/statement/'] button[type=submit]"), "p05-statement-filed"
        )
        print("      steps:", text_of(page, "#steps").replace("\n", " | ")[:300])
    if page.locator("form[action$='/consent/']").count():
        w.submit_empty("form[action$='/consent/']", "p06-consent-empty")
        print("      errors:", errors_on(page)[:4])
        page.fill("#id_signed_name", "浙江禾丰食品有限公司 王某")
        page.fill("#id_address", "not-an-address")
        page.check("form[action$='/consent/'] input[type=checkbox]")
        w.submit(
            page.locator("form[action$='/consent/'] button[type=submit]"), "p07-consent-bad-address"
        )
        print("      errors:", errors_on(page)[:4])
        if page.locator("form[action$='/consent/']").count():
            page.fill("#id_signed_name", "浙江禾丰食品有限公司 王某")
            page.fill("#id_address", "hefeng@example.com")
            page.check("form[action$='/consent/'] input[type=checkbox]")
            w.submit(
                page.locator("form[action$='/consent/'] button[type=submit]"), "p08-consent-given"
            )
        print("      consent:", text_of(page, "#consent").replace("\n", " | ")[:200])
    if page.locator("form[action$='/hearing/']").count():
        w.submit(
            page.locator("form[action$='/hearing/'] button[type=submit]"), "p09-hearing-requested"
        )
        print("      refusal/status:", errors_on(page)[:3])
    w.submit(page.locator("form[action$='/sign-out/'] button"), "p10-signed-out")
    w.go("/party/case/", "p11-after-sign-out")
    w.close()
    # the decided / executed cases on a desktop: money and rating
    for pk in (9, 14):
        number, code = codes[pk]
        w = Walker(browser, base, "desktop")
        page = w.page
        party_sign_in(w, number, code, f"p20-{pk}-case")
        for section in ("deadlines", "money", "rating"):
            txt = text_of(page, f"#{section}").replace("\n", " | ")
            print(f"      #{section}: {txt[:300]}")
        if page.locator("form[action$='/rating/']").count():
            w.submit_empty("form[action$='/rating/']", f"p21-{pk}-rating-empty")
            print("      errors:", errors_on(page)[:3])
            page.locator("form[action$='/rating/'] input[type=radio]").nth(3).check()
            page.fill("#id_comment", "办案人员态度较好，告知权利清楚。")
            w.submit(
                page.locator("form[action$='/rating/'] button[type=submit]"), f"p22-{pk}-rated"
            )
            print("      rating:", text_of(page, "#rating").replace("\n", " | ")[:200])
        w.close()
    # the officer sees the party's statement on the case page
    w = Walker(browser, base, "desktop")
    w.login("officer")
    w.go("/cases/5/", "p30-officer-case-with-statement")
    rows = [r for r in w.page.locator("table tr").all_inner_texts() if "陈述" in r]
    print("      statement rows on case page:", [r.replace("\t", " ")[:120] for r in rows])
    w.close()


def stage_extra(browser: Browser, base: str, state: dict[str, Any]) -> None:
    """The head merges the duplicate; its filer follows it; the supervisor tries to
    reassign a conduct complaint to the organ complained about; more bad uploads; the
    rate limit as a citizen meets it."""
    w = Walker(browser, base, "phone")
    w.login("head")
    page = w.page
    w.go("/complaints/desk/", "e01-head-desk")
    dup = complaint_pk(w, state["dup"]["number"])
    w.go(f"/complaints/desk/{dup}/", "e02-head-dup-detail")
    merge = page.locator("form.merge-form").filter(has_text=state["report"]["number"])
    if merge.count():
        w.submit(merge.locator("button"), "e03-head-merged")
        print("      merged:", text_of(page, "#merged-into"), "| status:", text_of(page, "#status"))
    w.close()
    w = Walker(browser, base, "phone")
    follow(w, state["dup"]["number"], state["dup"]["code"], "e04-dup-filer-follows")
    print("      together:", text_of(w.page, "#together"), text_of(w.page, "#together-status"))
    w.close()
    # reassign the demo conduct complaint to the organ it complains about
    w = Walker(browser, base, "desktop")
    w.login("supervisor")
    page = w.page
    w.go("/complaints/desk/?category=conduct", "e05-sup-conduct")
    pk = complaint_pk(w, "330424-2026-000001")
    w.go(f"/complaints/desk/{pk}/", "e06-sup-demo-conduct")
    facts = page.locator("dl.facts").inner_text().replace("\n", " | ")
    print("      facts:", facts[-200:])
    subject = (
        page.locator("xpath=//dt[text()='被投诉机关']/following-sibling::dd[1]")
        .inner_text()
        .strip()
    )
    options = page.locator("#reassign-form select option").all_inner_texts()
    target = next((o for o in options if o.strip() == subject), None)
    print("      subject organ:", subject, "| offered to reassign to it:", target is not None)
    if target:
        page.select_option("#reassign-form select", label=target)
        page.fill("#reassign-form textarea", "改由被投诉机关自查。")
        w.submit(page.locator("#reassign-form button[type=submit]"), "e07-sup-reassign-to-subject")
        print(
            "      errors:",
            errors_on(page)[:3],
            "| unit:",
            page.locator("dl.facts").inner_text().replace("\n", " | ")[200:400],
        )
    w.close()
    # more bad uploads on a phone
    files = fake_files()
    w = Walker(browser, base, "phone")
    page = w.page
    w.go("/complaints/file/", "e08-file")
    page.select_option("#id_category", "city_management")
    page.select_option("#id_region", "330402")
    page.fill("#id_address", "南湖区某某路与某某街交叉口")
    page.fill("#id_description", "路口占道经营，夜间噪声扰民。")
    page.set_input_files("#id_attachments", [str(files["txt"])])
    w.submit(page.locator("form.c-form button[type=submit]"), "e09-file-txt")
    print("      errors:", errors_on(page)[:3])
    page.set_input_files(
        "#id_attachments",
        [str(files["jpeg"]), str(files["png"]), str(files["jpeg"]), str(files["png"])],
    )
    w.submit(page.locator("form.c-form button[type=submit]"), "e10-file-four-photos")
    print("      errors:", errors_on(page)[:3])
    page.fill("#id_filer_contact", "x" * 200)
    page.evaluate("document.querySelector('#id_filer_contact').removeAttribute('maxlength')")
    page.fill("#id_filer_contact", "x" * 200)
    page.set_input_files("#id_attachments", [])
    w.submit(page.locator("form.c-form button[type=submit]"), "e11-file-long-contact")
    print("      errors:", errors_on(page)[:3])
    # the language switch on the filing page
    page.locator("button:has-text('English'), a:has-text('English')").first.click()
    page.wait_for_load_state("load")
    w.report("e12-file-english", 0)
    page.locator("button:has-text('简体中文'), a:has-text('简体中文')").first.click()
    page.wait_for_load_state("load")
    # the rate limit, met by someone retrying the follow-up page
    statuses = []
    for _ in range(35):
        statuses.append(page.request.get(base + "/complaints/follow/").status)
    print("      follow GET statuses:", statuses.count(200), "x200,", statuses.count(429), "x429")
    w.go("/complaints/file/", "e13-file-rate-limited")
    w.close()


STAGES = {
    "citizen": stage_citizen,
    "named": stage_named,
    "officer": stage_officer,
    "casesource": stage_casesource,
    "dispute": stage_dispute,
    "supervisor": stage_supervisor,
    "subject": stage_subject,
    "interference": stage_interference,
    "party": stage_party,
    "extra": stage_extra,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8116")
    parser.add_argument("--demo-output", default="")
    parser.add_argument("stages", nargs="*")
    args = parser.parse_args()
    SHOTS.mkdir(exist_ok=True)
    state = load_state()
    if args.demo_output:
        m = re.search(
            r"follow (\S+) with the access code (\S+)", Path(args.demo_output).read_text()
        )
        if m:
            state["demo_report"] = {"number": m.group(1), "code": m.group(2)}
            save_state(state)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name in args.stages or list(STAGES):
            print(f"== {name}", flush=True)
            STAGES[name](browser, args.base, state)
        browser.close()


if __name__ == "__main__":
    main()
