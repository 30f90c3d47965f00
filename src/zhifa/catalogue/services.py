"""State changes of the catalogue. Views, API, CLI and imports call these; none of them
writes the models directly."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.organisation import justice_bureau_for
from zhifa.core.scope import may_change_law
from zhifa.core.services import set_fields, validated_save
from zhifa.records import changes
from zhifa.records.canonical import sm3_hex
from zhifa.records.models import Entry
from zhifa.records.services import ObjectRef, record_change
from zhifa.registry.models import EnforcementSubject

from . import bands
from .models import (
    Article,
    ArticleVersion,
    BasisChange,
    BasisChangeKind,
    BenchmarkBand,
    Circumstance,
    DiscretionBenchmark,
    Law,
    PowerItem,
    PowerItemWarning,
    ReviewCatalogueItem,
)

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def law_record_organ(actor: User) -> EnforcementSubject:
    """The keeper's chain that records a change to law text made by ``actor``.

    Laws and articles belong to the platform, not to an organ; who may change them is
    :func:`zhifa.core.scope.may_change_law` (anyone else is refused with
    ``PermissionDenied`` and nothing is written). The change is recorded in the chain of
    the justice side that made it: a justice bureau's legal reviewer's own organ; for a
    supervisor, the justice bureau (司法局) of the supervisor's region, or of the nearest
    region above it that has one; for an administrator without a region, the one
    justice bureau at the highest level. When none is registered (or several tie) the
    change is refused: a law-text change that no chain records is not made. Each organ
    whose power items rely on a changed article is told in its own chain as well
    (:func:`_tell_relying_organs`, ADR 0012).
    """
    if not may_change_law(actor):
        raise PermissionDenied(
            _(
                "Only administrators, supervisors and legal reviewers of a justice bureau "
                "may change law text."
            )
        )
    if actor.organ_id is not None:
        return actor.organ  # type: ignore[return-value]
    bureau = justice_bureau_for(actor.region)
    if bureau is not None:
        return bureau  # type: ignore[no-any-return]
    raise ValidationError(
        {
            "law": _(
                "No justice bureau is registered to record this change in: register the "
                "region's justice bureau first."
            )
        }
    )


# --- laws and articles -----------------------------------------------------------------

LAW_FIELDS = (
    "name",
    "level",
    "issuing_body",
    "document_number",
    "promulgated_on",
    "valid_from",
)


@transaction.atomic
def save_law(law: Law | None = None, *, actor: User, **fields: Any) -> Law:
    """Create or update a law (``law.create`` / ``law.update``, in the chain of
    :func:`law_record_organ`; nothing is recorded when nothing changed)."""
    organ = law_record_organ(actor)
    before = changes.snapshot(law, LAW_FIELDS) if law is not None and law.pk else None
    law = law or Law()
    set_fields(law, fields, LAW_FIELDS)
    validated_save(law)
    after = changes.snapshot(law, LAW_FIELDS)
    if before is None:
        record_change(actor, organ, "law.create", law, after)
    else:
        changed = changes.diff(before, after)
        if changed:
            entry = record_change(actor, organ, "law.update", law, {"changes": changed})
            _tell_relying_organs(actor, entry, law, list(law.articles.all()), timezone.localdate())
    return law


def _digest(text: str) -> str:
    return sm3_hex(text.encode())


@transaction.atomic
def add_article(
    law: Law,
    *,
    actor: User,
    number: str,
    text: str,
    valid_from: date | None = None,
    ordinal: int = 0,
) -> Article:
    """Add an article with its first version (from the law's effective date unless
    given); ``article.add``. The text is recorded by its SM3 digest."""
    organ = law_record_organ(actor)
    article = validated_save(Article(law=law, number=number.strip(), ordinal=ordinal))
    version = validated_save(
        ArticleVersion(article=article, text=text, valid_from=valid_from or law.valid_from)
    )
    record_change(
        actor,
        organ,
        "article.add",
        article,
        {
            "law": law.pk,
            "law_name": law.name,
            "number": article.number,
            "ordinal": article.ordinal,
            "valid_from": version.valid_from,
            "text_sm3": _digest(version.text),
        },
    )
    return article


def _warn_citing_items(change: BasisChange) -> list[PowerItemWarning]:
    """Give every power item citing the changed article, and in force on the change
    date, a JL one-month update warning (JL 三(二), rule JL-power-list-update)."""
    deadline = bands.add_one_month(change.changed_on)
    items = change.article.power_items.exclude(valid_to__lt=change.changed_on)
    warnings = [
        PowerItemWarning(power_item=item, change=change, deadline=deadline) for item in items
    ]
    return PowerItemWarning.objects.bulk_create(warnings)


def _tell_relying_organs(
    actor: User,
    entry: Entry,
    law: Law,
    articles: Sequence[Article],
    on: date,
    warnings: Sequence[PowerItemWarning] = (),
) -> list[Entry]:
    """Record a law-text change in the chain of every organ whose power items (not
    ended before ``on``) cite one of ``articles``: one ``power_item.basis_changed``
    entry per organ, naming the keeper's entry (organ, sequence number, hash), the
    articles its items cite, its items and the update warnings they were given. An
    organ that relies on none of the articles gets nothing (ADR 0012)."""
    ids = {a.pk for a in articles}
    items = (
        PowerItem.objects.filter(basis__in=ids)
        .exclude(valid_to__lt=on)
        .prefetch_related("basis")
        .distinct()
        .order_by("subject_id", "code")
    )
    by_organ: dict[int, list[PowerItem]] = {}
    for item in items:
        by_organ.setdefault(item.subject_id, []).append(item)
    warned: dict[int, list[PowerItemWarning]] = {}
    for warning in warnings:
        warned.setdefault(warning.power_item_id, []).append(warning)
    told: list[Entry] = []
    for organ_id, organ_items in by_organ.items():
        cited = sorted(
            {(a.ordinal, a.number) for item in organ_items for a in item.basis.all() if a.pk in ids}
        )
        told.append(
            record_change(
                actor,
                organ_id,
                "power_item.basis_changed",
                ObjectRef(entry.object_type, entry.object_id),
                {
                    "source": {
                        "organ": entry.organ_id,
                        "seq": entry.seq,
                        "action": entry.action,
                        "entry_hash": entry.entry_hash,
                    },
                    "law": law.pk,
                    "law_name": law.name,
                    "articles": [number for _ordinal, number in cited],
                    "changed_on": on,
                    "items": [item.code for item in organ_items],
                    "warnings": [
                        {"item": item.code, "deadline": w.deadline}
                        for item in organ_items
                        for w in warned.get(item.pk, [])
                    ],
                },
            )
        )
    return told


@transaction.atomic
def add_article_version(
    article: Article, *, actor: User, text: str, valid_from: date
) -> ArticleVersion:
    """A new text of the article from ``valid_from``; the previous version ends the day
    before. The power items citing the article get the update warning
    (``article.new_version``)."""
    organ = law_record_organ(actor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.repealed_on is not None:
        raise ValidationError({"article": _("The article is repealed.")})
    if not text.strip():
        raise ValidationError({"text": _("Give the text of the new version.")})
    latest = article.versions.order_by("-valid_from").first()
    if latest is not None and valid_from <= latest.valid_from:
        raise ValidationError(
            {
                "valid_from": _("A new version must start after the current one (%(date)s).")
                % {"date": latest.valid_from}
            }
        )
    if latest is not None:
        latest.valid_to = valid_from - timedelta(days=1)
        latest.save(update_fields=["valid_to"])
    version = validated_save(ArticleVersion(article=article, text=text, valid_from=valid_from))
    warnings: list[PowerItemWarning] = []
    if latest is not None:
        change = BasisChange.objects.create(
            article=article, kind=BasisChangeKind.NEW_VERSION, changed_on=valid_from
        )
        warnings = _warn_citing_items(change)
    entry = record_change(
        actor,
        organ,
        "article.new_version",
        article,
        {
            "law": article.law_id,
            "number": article.number,
            "valid_from": valid_from,
            "previous_valid_to": latest.valid_to if latest is not None else None,
            "text_sm3": _digest(version.text),
            "items_warned": len(warnings),
        },
    )
    if latest is not None:
        _tell_relying_organs(actor, entry, article.law, [article], valid_from, warnings)
    return version


@transaction.atomic
def repeal_article(article: Article, *, actor: User, on: date) -> BasisChange:
    """Repeal the article from ``on`` (its current version ends the day before); the
    power items citing it get the update warning (``article.repeal``)."""
    organ = law_record_organ(actor)
    change, warnings = _repeal_article(article, on=on)
    entry = record_change(
        actor,
        organ,
        "article.repeal",
        change.article,
        {
            "law": change.article.law_id,
            "number": change.article.number,
            "repealed_on": on,
            "items_warned": len(warnings),
        },
    )
    _tell_relying_organs(actor, entry, change.article.law, [change.article], on, warnings)
    return change


def _repeal_article(article: Article, *, on: date) -> tuple[BasisChange, list[PowerItemWarning]]:
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.repealed_on is not None:
        raise ValidationError({"article": _("The article is already repealed.")})
    latest = article.versions.order_by("-valid_from").first()
    if latest is not None and on <= latest.valid_from:
        raise ValidationError(
            {
                "on": _("The repeal must come after the current version starts (%(date)s).")
                % {"date": latest.valid_from}
            }
        )
    if latest is not None:
        latest.valid_to = on - timedelta(days=1)
        latest.save(update_fields=["valid_to"])
    article.repealed_on = on
    article.save(update_fields=["repealed_on"])
    change = BasisChange.objects.create(
        article=article, kind=BasisChangeKind.REPEALED, changed_on=on
    )
    return change, _warn_citing_items(change)


@transaction.atomic
def repeal_law(law: Law, *, actor: User, on: date) -> Law:
    """Repeal a whole law: every article in force is repealed from ``on``. One
    ``law.repeal`` entry lists the articles repealed with it."""
    organ = law_record_organ(actor)
    if law.repealed_on is not None:
        raise ValidationError({"repealed_on": _("The law is already repealed.")})
    if on <= law.valid_from:
        raise ValidationError({"repealed_on": _("A law cannot be repealed before it starts.")})
    repealed: list[Article] = []
    warnings: list[PowerItemWarning] = []
    for article in law.articles.filter(repealed_on__isnull=True).order_by("ordinal", "pk"):
        _change, given = _repeal_article(article, on=on)
        repealed.append(article)
        warnings.extend(given)
    law.repealed_on = on
    law.save(update_fields=["repealed_on"])
    entry = record_change(
        actor,
        organ,
        "law.repeal",
        law,
        {
            "name": law.name,
            "repealed_on": on,
            "articles": [a.number for a in repealed],
            "items_warned": len(warnings),
        },
    )
    _tell_relying_organs(actor, entry, law, repealed, on, warnings)
    return law


def check_citable(articles: Iterable[Article], field: str = "basis") -> None:
    """A document may cite laws, regulations and rules only, never normative documents
    (CQ 三(十)). Raises a ValidationError naming ``field``."""
    bad = [a for a in articles if not a.law.citable]
    if bad:
        raise ValidationError(
            {
                field: _("Only laws, regulations and rules can be cited as a basis, not: %(a)s")
                % {"a": "、".join(str(a) for a in bad)}
            }
        )


# --- power items -----------------------------------------------------------------------

POWER_ITEM_FIELDS = (
    "code",
    "name",
    "category",
    "responsibilities",
    "valid_from",
    "valid_to",
    "published",
    "published_on",
)


def _power_item_values(item: PowerItem) -> dict[str, Any]:
    values = changes.snapshot(item, POWER_ITEM_FIELDS)
    values["basis"] = sorted(a.pk for a in item.basis.all()) if item.pk else []
    return values


@transaction.atomic
def save_power_item(
    item: PowerItem | None = None,
    *,
    actor: User,
    subject: EnforcementSubject | None = None,
    basis: Sequence[Article] | None = None,
    **fields: Any,
) -> PowerItem:
    """Create a power item on ``subject``'s list or update ``item``
    (``power_item.create`` / ``power_item.update`` in the subject's chain; nothing is
    recorded when nothing changed)."""
    before = _power_item_values(item) if item is not None and item.pk else None
    if item is None:
        if subject is None:
            raise ValidationError({"subject": _("A power item needs a subject.")})
        item = PowerItem(subject=subject)
    set_fields(item, fields, POWER_ITEM_FIELDS)
    if not item.subject.can_enforce:
        raise ValidationError(
            {"subject": _("Only a subject that may enforce has a power list (APL Art. 38).")}
        )
    if item.subject.subject_type == "entrusted":
        raise ValidationError(
            {
                "subject": _(
                    "An entrusted organisation has no power list of its own: it acts on the "
                    "entrusting organ's power items named in its entrustment (APL Art. 20)."
                )
            }
        )
    if basis is not None:
        check_citable(basis)
    validated_save(item)
    if basis is not None:
        item.basis.set(basis)
    after = _power_item_values(item)
    if before is None:
        record_change(actor, item.subject_id, "power_item.create", item, after)
    else:
        changed = changes.diff(before, after)
        if changed:
            record_change(actor, item.subject_id, "power_item.update", item, {"changes": changed})
    return item


@transaction.atomic
def record_power_item_review(
    item: PowerItem, *, actor: User, on: date, note: str
) -> list[PowerItemWarning]:
    """Record that the power item was reviewed after its basis changed; closes its open
    update warnings (``power_item.review``)."""
    if not note.strip():
        raise ValidationError({"note": _("Say what was reviewed and what changed.")})
    warnings = list(item.update_warnings.filter(reviewed_on__isnull=True))
    if not warnings:
        raise ValidationError({"note": _("This power item has no open update warning.")})
    for warning in warnings:
        warning.reviewed_on = on
        warning.reviewed_by = actor
        warning.review_note = note.strip()
        warning.save(update_fields=["reviewed_on", "reviewed_by", "review_note"])
    record_change(
        actor,
        item.subject_id,
        "power_item.review",
        item,
        {
            "code": item.code,
            "reviewed_on": on,
            "note": note.strip(),
            "warnings_closed": [w.pk for w in warnings],
        },
    )
    return warnings


def open_warnings() -> QuerySet[PowerItemWarning]:
    return PowerItemWarning.objects.filter(reviewed_on__isnull=True)


def with_open_warnings(items: QuerySet[PowerItem]) -> QuerySet[PowerItem]:
    """Prefetch the open warnings (``open_warnings_list``) in one query."""
    return items.prefetch_related(
        Prefetch(
            "update_warnings",
            queryset=open_warnings().order_by("deadline"),
            to_attr="open_warnings_list",
        )
    )


# --- discretion benchmarks -------------------------------------------------------------

BENCHMARK_FIELDS = (
    "violation",
    "penalty_article",
    "statutory_range",
    "statutory_min",
    "statutory_max",
    "description",
    "valid_from",
    "valid_to",
    "published",
    "published_on",
)
BAND_FIELDS = ("circumstance", "conditions", "penalty", "fine_min", "fine_max")


def _problem_message(code: str) -> str:
    return {
        "no_penalty_has_fine": _("A no-penalty band has no fine."),
        "min_above_max": _("The minimum fine is above the maximum."),
        "above_statutory_max": _("The fine exceeds the statutory maximum."),
        "below_statutory_min": _(
            "The fine is below the statutory minimum; only a mitigated band may go below it."
        ),
    }[code]


@transaction.atomic
def save_benchmark(
    benchmark: DiscretionBenchmark | None = None,
    *,
    actor: User,
    power_item: PowerItem | None = None,
    bands_data: Sequence[dict[str, Any]] | None = None,
    **fields: Any,
) -> DiscretionBenchmark:
    """Create or update one benchmark version with its bands (the bands are replaced
    as a whole). Each band's fine must lie in the statutory range, except that a
    mitigated band may go below the minimum (APL Art. 32). ``bands_data=None`` keeps
    the bands of an existing benchmark. Recorded as ``benchmark.create`` /
    ``benchmark.update`` in the power item's subject's chain (nothing is recorded when
    nothing changed)."""
    before = _benchmark_values(benchmark) if benchmark is not None and benchmark.pk else None
    if benchmark is None:
        if power_item is None:
            raise ValidationError({"power_item": _("A benchmark needs a power item.")})
        benchmark = DiscretionBenchmark(power_item=power_item)
    set_fields(benchmark, fields, BENCHMARK_FIELDS)
    if benchmark.penalty_article is not None:
        check_citable([benchmark.penalty_article], field="penalty_article")
    if bands_data is None:
        bands_data = (
            [{name: getattr(b, name) for name in BAND_FIELDS} for b in benchmark.bands.all()]
            if benchmark.pk
            else []
        )
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    parsed: list[bands.Band] = []
    for index, data in enumerate(bands_data):
        unknown = set(data) - set(BAND_FIELDS)
        if unknown:
            errors[f"bands.{index}"] = [_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)}]
            continue
        circumstance = data.get("circumstance", "")
        if circumstance not in Circumstance.values:
            errors[f"bands.{index}.circumstance"] = [_("Unknown circumstance.")]
            continue
        if circumstance in seen:
            errors[f"bands.{index}.circumstance"] = [_("Each circumstance has one band.")]
            continue
        seen.add(circumstance)
        if not str(data.get("conditions", "")).strip():
            errors[f"bands.{index}.conditions"] = [_("Describe the conditions in words.")]
        band = bands.Band(
            circumstance=circumstance,
            conditions=str(data.get("conditions", "")),
            penalty=str(data.get("penalty", "")),
            fine_min=data.get("fine_min"),
            fine_max=data.get("fine_max"),
        )
        for field, code in bands.band_range_problems(
            benchmark.statutory_min, benchmark.statutory_max, band
        ):
            errors.setdefault(f"bands.{index}.{field}", []).append(_problem_message(code))
        parsed.append(band)
    if not bands_data:
        errors["bands"] = [_("A benchmark needs at least one band.")]
    try:
        benchmark.full_clean()
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    benchmark.save()
    benchmark.bands.all().delete()
    BenchmarkBand.objects.bulk_create(
        [
            BenchmarkBand(
                benchmark=benchmark,
                circumstance=b.circumstance,
                conditions=b.conditions,
                penalty=b.penalty,
                fine_min=b.fine_min,
                fine_max=b.fine_max,
            )
            for b in parsed
        ]
    )
    after = _benchmark_values(benchmark)
    organ = benchmark.power_item.subject_id
    if before is None:
        record_change(actor, organ, "benchmark.create", benchmark, after)
    else:
        changed = changes.diff(before, after)
        if changed:
            record_change(actor, organ, "benchmark.update", benchmark, {"changes": changed})
    return benchmark


def _benchmark_values(benchmark: DiscretionBenchmark) -> dict[str, Any]:
    values = changes.snapshot(benchmark, ("power_item", *BENCHMARK_FIELDS))
    values["bands"] = [
        changes.snapshot(b, BAND_FIELDS) for b in benchmark.bands.order_by("circumstance")
    ]
    return values


def band_for(
    power_item: PowerItem, on: date, circumstance: str, violation: str | None = None
) -> bands.BandChoice | None:
    """The discretion band for a case: the band of ``circumstance`` in the benchmark of
    ``power_item`` (and ``violation``, when the item has several) in force and published
    on ``on``. ``None`` when there is none. The case workflow calls this."""
    return bands.select_band(_published_versions(power_item), on, circumstance, violation)


def bands_in_force(
    power_item: PowerItem, on: date, violation: str | None = None
) -> dict[str, bands.BandChoice]:
    """Every band of the benchmark of ``power_item`` in force and published on ``on``, by
    circumstance (empty when there is none): the decision form shows them all, and the
    decision asks for a circumstance when there are any. One read of the benchmarks."""
    return bands_in_versions(_published_versions(power_item), on, violation)


def _published_versions(power_item: PowerItem) -> list[bands.BenchmarkVersion]:
    return published_versions([power_item.pk])[power_item.pk]


def published_versions(power_item_ids: Iterable[int]) -> dict[int, list[bands.BenchmarkVersion]]:
    """The published benchmark versions of each of the power items (every id given has
    an entry, empty when it has none) in two queries: ``bands_in_force`` of a whole
    chunk of cases (the sweep) reads them once per power item, not once per case."""
    ids = set(power_item_ids)
    found: dict[int, list[bands.BenchmarkVersion]] = {pk: [] for pk in ids}
    for benchmark in DiscretionBenchmark.objects.filter(
        power_item_id__in=ids, published=True
    ).prefetch_related("bands"):
        found[benchmark.power_item_id].append(benchmark.as_version())
    return found


def bands_in_versions(
    versions: Sequence[bands.BenchmarkVersion], on: date, violation: str | None = None
) -> dict[str, bands.BandChoice]:
    """``bands_in_force`` of versions read beforehand (``published_versions``)."""
    choices = {c: bands.select_band(versions, on, c, violation) for c in bands.CIRCUMSTANCES}
    return {c: choice for c, choice in choices.items() if choice is not None}


# --- the review catalogue --------------------------------------------------------------

REVIEW_FIELDS = (
    "title",
    "criteria",
    "category",
    "basis",
    "valid_from",
    "valid_to",
    "published",
    "published_on",
)


@transaction.atomic
def save_review_entry(
    entry: ReviewCatalogueItem | None = None,
    *,
    actor: User,
    organ: EnforcementSubject | None = None,
    power_items: Sequence[PowerItem] | None = None,
    **fields: Any,
) -> ReviewCatalogueItem:
    """Create or update an entry of the organ's review catalogue (``review_entry.create``
    / ``review_entry.update``; nothing is recorded when nothing changed)."""
    before = _review_values(entry) if entry is not None and entry.pk else None
    if entry is None:
        if organ is None:
            raise ValidationError({"organ": _("An entry needs an organ.")})
        entry = ReviewCatalogueItem(organ=organ)
    set_fields(entry, fields, REVIEW_FIELDS)
    if power_items is not None:
        foreign = [p for p in power_items if p.subject_id != entry.organ_id]
        if foreign:
            raise ValidationError(
                {"power_items": _("Only the organ's own power items can be listed.")}
            )
    validated_save(entry)
    if power_items is not None:
        entry.power_items.set(power_items)
    after = _review_values(entry)
    if before is None:
        record_change(actor, entry.organ_id, "review_entry.create", entry, after)
    else:
        changed = changes.diff(before, after)
        if changed:
            record_change(actor, entry.organ_id, "review_entry.update", entry, {"changes": changed})
    return entry


def _review_values(entry: ReviewCatalogueItem) -> dict[str, Any]:
    values = changes.snapshot(entry, REVIEW_FIELDS)
    values["power_items"] = sorted(p.code for p in entry.power_items.all())
    return values


# --- questions the case workflow and the rules engine ask ------------------------------


def power_item_in_scope(subject: EnforcementSubject, item: PowerItem, on: date) -> bool:
    """Whether ``subject`` may exercise ``item`` on ``on`` (rules APL-38-subject,
    APL-power-scope, APL-20-entrustment): the subject may enforce, and the item is
    in force and either on its own power list or entrusted to it by an entrustment in
    force that day (the entrusted organisation then acts in the entrusting organ's
    name)."""
    if not subject.can_enforce or not subject.active or not item.in_force_on(on):
        return False
    if item.subject_id == subject.pk:
        return subject.subject_type != "entrusted"
    return any(
        e.in_force_on(on)
        for e in item.entrustments.filter(entrusted=subject, entrusting_organ=item.subject_id)
    )
