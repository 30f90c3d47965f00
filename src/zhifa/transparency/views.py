"""Public pages of the publication log (no login, no personal data: leaves are the
redacted published summaries, and a leaf its source no longer shows is given by its
hash only). Plain-text and JSON endpoints at stable URLs for tools and witnesses."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhifa.core.api import error_body

from . import checkpoints as cps
from . import log
from .bundle import build_bundle, leaf_is_public
from .models import LogEntry, SignedCheckpoint

TEXT = "text/plain; charset=utf-8"
#: The largest index or size a URL may name (PostgreSQL bigint).
_MAX_DIGITS = 18


def parse_index(text: str) -> int | None:
    """An index or tree size written in a URL: ASCII digits, canonical (no leading
    zeros), at most 18 of them; None otherwise."""
    if not text.isascii() or not text.isdigit() or len(text) > _MAX_DIGITS:
        return None
    if text != "0" and text.startswith("0"):
        return None
    return int(text)


def _text(body: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, content_type=TEXT, status=status)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _bad(path: str, message: str) -> JsonResponse:
    return JsonResponse(
        error_body(
            400, "invalid", _("The request is not valid."), [{"path": path, "message": message}]
        ),
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def _entry_or_404(index: str) -> LogEntry:
    number = parse_index(index)
    entry = LogEntry.objects.filter(index=number).first() if number is not None else None
    if entry is None:
        raise Http404(_("No such entry in the publication log."))
    return entry


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """How to check a publication offline, with the log's key and latest checkpoint."""
    return render(
        request,
        "transparency/about.html",
        {"checkpoint": cps.latest(), "vkey": cps.verifier_key(), "origin": cps.origin()},
    )


@require_GET
def checkpoint_text(request: HttpRequest) -> HttpResponse:
    """The latest signed checkpoint (a C2SP signed note), text/plain."""
    latest = cps.latest()
    if latest is None:
        return _text(_("No checkpoint has been signed yet.") + "\n", status=404)
    return _text(latest.note)


@require_GET
def checkpoint_at(request: HttpRequest, size: str) -> HttpResponse:
    """The signed checkpoint of the tree of ``size`` leaves, text/plain."""
    number = parse_index(size)
    stored = SignedCheckpoint.objects.filter(size=number).first() if number is not None else None
    if stored is None:
        return _text(_("No checkpoint of this size.") + "\n", status=404)
    return _text(stored.note)


@require_GET
def key_text(request: HttpRequest) -> HttpResponse:
    """The log's verifier key (C2SP signed-note format), text/plain."""
    return _text(cps.verifier_key() + "\n")


@require_GET
def verifier_script(request: HttpRequest) -> FileResponse:
    """verify_offline.py itself, so that nobody needs Zhifa to check a proof."""
    path = Path(__file__).with_name("verify_offline.py")
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename="verify_offline.py",
        content_type="text/x-python; charset=utf-8",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def consistency(request: HttpRequest, first: str, second: str) -> JsonResponse:
    """The consistency proof between two tree sizes up to the latest checkpoint's."""
    old, new = parse_index(first), parse_index(second)
    if old is None:
        return _bad("path.first", _("Give a tree size (a whole number)."))
    if new is None:
        return _bad("path.second", _("Give a tree size (a whole number)."))
    latest = cps.latest()
    if latest is None or new > latest.size:
        return _bad("path.second", _("No signed checkpoint covers this tree size yet."))
    if old > new:
        return _bad("path.first", _("The first tree size may not exceed the second."))
    proof = log.consistency_proof(old, new)
    return JsonResponse(
        {
            "origin": cps.origin(),
            "first": old,
            "second": new,
            "consistency_proof": [base64.b64encode(h).decode() for h in proof],
        }
    )


@require_GET
def entry(request: HttpRequest, index: str) -> HttpResponse:
    """One entry: what was logged, the checkpoint that covers it, its proof bundle."""
    found = _entry_or_404(index)
    checkpoint = cps.covering(found.index)
    public = leaf_is_public(found)
    leaf_text = ""
    if public:
        try:
            leaf_text = bytes(found.leaf).decode("utf-8")
        except UnicodeDecodeError:
            leaf_text = ""
    newer = log.latest_entry(found.source, found.object_id)
    return render(
        request,
        "transparency/entry.html",
        {
            "entry": found,
            "checkpoint": checkpoint,
            "public": public,
            "leaf_text": leaf_text,
            "newer": newer if newer is not None and newer.index != found.index else None,
            "bundle_name": f"zhifa-proof-{found.index}.json",
            "vkey": cps.verifier_key(),
        },
    )


@require_GET
def entry_bundle(request: HttpRequest, index: str) -> HttpResponse:
    """The entry's proof bundle (JSON download) against the latest signed checkpoint."""
    found = _entry_or_404(index)
    checkpoint = cps.covering(found.index)
    if checkpoint is None:
        body = error_body(
            409,
            "not_yet_signed",
            _("No signed checkpoint covers this entry yet; try again in a few minutes."),
        )
        return JsonResponse(body, status=409, json_dumps_params={"ensure_ascii": False})
    bundle = build_bundle(found, checkpoint)
    response = HttpResponse(
        json.dumps(bundle, ensure_ascii=False, indent=2) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="zhifa-proof-{found.index}.json"'
    return response


@require_GET
def object_entry(request: HttpRequest, source: str, object_id: str) -> HttpResponse:
    """The latest entry of a source's object (what a publication page links to)."""
    found = log.latest_entry(source, object_id) if len(source) <= 64 else None
    if found is None:
        raise Http404(_("This object is not in the publication log."))
    return redirect(reverse("transparency:entry", args=[found.index]))
