"""The public portal (公示): the landing pages and the ex-ante pages (事前公开).

No login; read-only; only public data (``queries``). Each page says when it last
changed; the power list, the benchmarks and the remedies can be read as they stood on
a day (``?on=YYYY-MM-DD``). Responses are cacheable (``public_page``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from zhifa.catalogue.models import PowerCategory
from zhifa.registry.models import EnforcementSubject, Region, SubjectType
from zhifa.registry.validators import CERTIFICATE_NUMBER_RE
from zhifa.rules.engine import RULES
from zhifa.rules.engine.parameters import ParameterError, Parameters, default_parameters
from zhifa.rules.engine.supervision import SUP_WARNING
from zhifa.rules.engine.warning_models import MODELS as WARNING_MODELS

from . import procedure, queries

#: How long a browser or a shared cache may keep a public page (seconds).
MAX_AGE = 300

View = Callable[..., HttpResponse]


def public_page(view: View) -> View:
    """A public page: GET only; cacheable by anyone for ``MAX_AGE`` seconds (private
    for a signed-in user, whose header differs); an ETag of the content and the
    ``Last-Modified`` of the page's last change (``response.last_changed``), so a
    repeated request is answered 304."""

    @require_GET
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, max_age=0)
        else:
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        changed = getattr(response, "last_changed", None)
        last_modified: int | None = None
        if isinstance(changed, dt.date):
            when = (
                changed
                if isinstance(changed, dt.datetime)
                else timezone.make_aware(dt.datetime.combine(changed, dt.time.min))
            )
            last_modified = int(when.timestamp())
            response["Last-Modified"] = http_date(last_modified)
        conditional = get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
        return response if conditional is None else conditional

    return wrapped


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    last_changed: dt.date | dt.datetime | None = None,
) -> HttpResponse:
    context.setdefault("last_changed", queries.latest(last_changed))
    response = render(request, template, context)
    response.last_changed = last_changed  # type: ignore[attr-defined]
    return response


def _day(request: HttpRequest, today: dt.date) -> tuple[dt.date, str]:
    """The day the page is read for (``?on=``, default today) and the error naming the
    field when the value is not a date (then today)."""
    raw = request.GET.get("on", "").strip()
    if not raw:
        return today, ""
    try:
        on = dt.date.fromisoformat(raw)
    except ValueError:
        return today, _("on: give a date as YYYY-MM-DD.")
    if on > today:
        return today, _("on: the date cannot be in the future.")
    return on, ""


def _organ(pk: int) -> EnforcementSubject:
    """A public organ (404 for an internal unit, a temporary body or an inactive one)."""
    return get_object_or_404(queries.public_organs().select_related("region", "parent"), pk=pk)


# --- landing pages -------------------------------------------------------------------


@public_page
def index(request: HttpRequest) -> HttpResponse:
    regions = list(queries.regions_with_organs())
    return _render(
        request,
        "portal/index.html",
        {"regions": regions},
        queries.last_recorded(
            queries.public_organs().values_list("pk", flat=True), queries.SUBJECT_ACTIONS
        ),
    )


@public_page
def region(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(Region, code=code)
    organs = list(
        queries.public_organs().filter(region__path__startswith=place.path).select_related("region")
    )
    here = [o for o in organs if o.region_id == place.pk]
    below: dict[str, int] = {}
    children = {c.path: c for c in Region.objects.filter(parent=place)}
    for organ in organs:
        if organ.region_id == place.pk:
            continue
        prefix = place.path + organ.region.path[len(place.path) :].split("/", 1)[0] + "/"
        below[prefix] = below.get(prefix, 0) + 1
    child_rows = [(children[p], n) for p, n in sorted(below.items()) if p in children]
    return _render(
        request,
        "portal/region.html",
        {
            "region": place,
            "ancestors": place.ancestors()[:-1],
            "organs": here,
            "children": child_rows,
        },
        queries.last_recorded([o.pk for o in organs], queries.SUBJECT_ACTIONS),
    )


@public_page
def organ(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _organ(pk)
    today = timezone.localdate()
    given = queries.entrustments(subject)
    counts = {
        "officers": queries.officer_count(subject),
        "powers": queries.power_count(subject, today)
        if subject.subject_type != SubjectType.ENTRUSTED
        else None,
    }
    return _render(
        request,
        "portal/organ.html",
        {
            "organ": subject,
            "ancestors": subject.region.ancestors(),
            "entrustments": given,
            "counts": counts,
        },
        queries.last_recorded([subject.pk], queries.ORGAN_ACTIONS),
    )


# --- ex-ante pages -------------------------------------------------------------------


@public_page
def subjects(request: HttpRequest) -> HttpResponse:
    """Enforcement subjects and their legal basis (optionally of one region's subtree)."""
    organs = (
        queries.public_organs().select_related("region", "parent").order_by("region__code", "name")
    )
    place = None
    code = request.GET.get("region", "").strip()
    if code:
        place = Region.objects.filter(code=code).first()
        if place is None:
            raise Http404(_("region: no region with this code."))
        organs = organs.filter(region__path__startswith=place.path)
    page = Paginator(organs, 50).get_page(request.GET.get("page"))
    return _render(
        request,
        "portal/subjects.html",
        {"page": page, "region": place},
        queries.last_recorded([o.pk for o in page], queries.SUBJECT_ACTIONS),
    )


@public_page
def officers(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _organ(pk)
    today = timezone.localdate()
    return _render(
        request,
        "portal/officers.html",
        {"organ": subject, "officers": queries.officers(subject, today), "today": today},
        queries.last_recorded([subject.pk], queries.OFFICER_ACTIONS),
    )


@public_page
def powers(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _organ(pk)
    today = timezone.localdate()
    on, error = _day(request, today)
    listing = queries.power_list(subject, on, today)
    return _render(
        request,
        "portal/powers.html",
        {
            "organ": subject,
            "listing": listing,
            "on": on,
            "today": today,
            "error": error,
            "is_past": on < today,
            "categories": PowerCategory,
        },
        listing.last_changed,
    )


@public_page
def benchmarks(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _organ(pk)
    today = timezone.localdate()
    on, error = _day(request, today)
    found = queries.benchmarks(subject, on, today)
    return _render(
        request,
        "portal/benchmarks.html",
        {
            "organ": subject,
            "found": found,
            "on": on,
            "today": today,
            "error": error,
            "is_past": on < today,
        },
        found.last_changed,
    )


@public_page
def entrustments(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _organ(pk)
    today = timezone.localdate()
    rows = queries.entrustments(subject)
    return _render(
        request,
        "portal/entrustments.html",
        {"organ": subject, "entrustments": rows, "today": today},
        queries.latest(
            queries.last_recorded([subject.pk], queries.ENTRUSTMENT_ACTIONS),
            *(e.published_on for e in rows),
            *(e.status_changed_on for e in rows),
        ),
    )


@public_page
def procedure_chart(request: HttpRequest) -> HttpResponse:
    chart = procedure.build_chart()
    return _render(
        request,
        "portal/procedure.html",
        {"chart": chart},
    )


#: The engine's parameters the remedies page states (REMEDY-periods).
REMEDY_PARAMETERS = (
    "reconsideration_days",
    "litigation_months",
    "reconsideration_untold_max_years",
    "litigation_untold_max_years",
)


@public_page
def remedies(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    on, error = _day(request, today)
    params = Parameters()
    table = default_parameters()
    values: dict[str, int | None] = {}
    references: dict[str, str] = {}
    days: set[dt.date] = set()
    for name in REMEDY_PARAMETERS:
        try:
            values[name] = params.integer(name, on)
        except ParameterError:
            values[name] = None
        references[name] = params.reference(name)
        days.update(d for d, _v in table[name].values if d <= today)
    rule = RULES["REMEDY-periods"]
    change_days = sorted(days, reverse=True)
    return _render(
        request,
        "portal/remedies.html",
        {
            "values": values,
            "references": references,
            "rule": rule,
            "on": on,
            "today": today,
            "error": error,
            "is_past": on < today,
            "change_days": change_days,
        },
        change_days[0] if change_days else None,
    )


@public_page
def inspections(request: HttpRequest) -> HttpResponse:
    return _render(request, "portal/inspections.html", {})


@public_page
def warning_models(request: HttpRequest) -> HttpResponse:
    """The supervisor's warning models (监督预警模型, issue #17): what each watches, when
    it is yellow or red, its rule and citation — the engine's ``MODELS``, the one list
    the warnings page and its API use. Public: no data of any case."""
    from zhifa.supervision.warnings import working_days

    lang = "en" if (request.LANGUAGE_CODE or "").startswith("en") else "zh"
    models = [
        {
            "key": m.key,
            "name": m.name.get(lang),
            "watched": m.watched.get(lang),
            "yellow": m.yellow.get(lang) if m.yellow is not None else "",
            "red": m.red.get(lang) if m.red is not None else "",
            "rules": m.rules,
            "subject": m.subject,
        }
        for m in WARNING_MODELS
    ]
    return _render(
        request,
        "portal/warning_models.html",
        {"models": models, "rule": SUP_WARNING, "working_days": working_days()},
    )


@public_page
def verify(request: HttpRequest) -> HttpResponse:
    """The certificate verification form: a number goes to the registry's public
    verification page (``verify``), which is rate-limited."""
    number = request.GET.get("number", "").strip()
    error = ""
    if number:
        if CERTIFICATE_NUMBER_RE.match(number):
            try:
                return redirect(reverse("verify", args=[number]))
            except NoReverseMatch:
                pass
        error = _("number: a certificate number has 4 to 32 letters, digits or hyphens.")
    return _render(request, "portal/verify.html", {"number": number, "error": error})


#: The language switch of the public pages: Django's ``set_language`` without the CSRF
#: token, so that the pages hold no per-visitor token and stay cacheable. Choosing a
#: language changes nothing but the visitor's own language cookie.
language = require_POST(csrf_exempt(set_language))
