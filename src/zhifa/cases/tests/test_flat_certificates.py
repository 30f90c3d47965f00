"""The case file reads the officers' certificates with one flat query (the registry's
loader, ``registry.facts.certificate_facts``): ``add_step`` (``officer_rows_flat``), the
export of one case and of a page of cases (``load_certificates``) build the same
document, whatever certificates and status changes the officers have, and the facts
answer as the registry's certificates do."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.cases import services
from zhifa.cases.casefile import (
    agency_powers,
    build_document,
    export_document,
    load_certificates,
    officer_rows,
    officer_rows_flat,
    ordered_steps,
    prefetch,
)
from zhifa.cases.models import Case
from zhifa.registry.models import Certificate, CertificateStatusChange

from .conftest import D, Walker, open_general_case


def _certificates(walk: Walker) -> list[Certificate]:
    o1, o2 = walk.p.o1, walk.p.o2
    renewed = Certificate.objects.create(
        officer=o2,
        number="ZJA0102",
        issuing_authority="浙江省人民政府",
        valid_from=D("2029-01-01"),
        valid_to=D("2033-12-31"),
    )
    first = o1.certificates.get()
    # Suspended, restored, revoked (added out of order: history is by effective day).
    for status, day in (("revoked", "2026-06-01"), ("suspended", "2026-03-10")):
        CertificateStatusChange.objects.create(
            certificate=first, status=status, effective_on=D(day)
        )
    CertificateStatusChange.objects.create(
        certificate=first, status="valid", effective_on=D("2026-03-20")
    )
    # Two changes on one day: the later row wins.
    for status in ("suspended", "valid"):
        CertificateStatusChange.objects.create(
            certificate=renewed, status=status, effective_on=D("2029-02-01")
        )
    return [first, renewed, *o2.certificates.exclude(pk=renewed.pk)]


def _flat(walk: Walker, day: dt.date) -> dict[str, object]:
    case = walk.case
    rows, certificates = officer_rows_flat(case)
    return build_document(
        case,
        day=day,
        proposed=None,
        steps=ordered_steps(case),
        suspensions=list(case.suspensions.all()),
        rows=rows,
        powers=agency_powers(case),
        certificates=certificates,
    )


def test_the_flat_read_builds_the_exported_document(walk: Walker) -> None:
    certificates = _certificates(walk)
    p = walk.p
    walk(services.register_case, actor=p.head_user, on=D("2026-03-03"), by=[p.o1, p.o2])
    walk.investigate()
    days = ["2026-03-03", "2026-03-12", "2026-03-25", "2026-07-01", "2029-02-01", "2034-01-01"]
    for day in map(D, days):
        assert _flat(walk, day) == export_document(walk.case, day)
        for certificate in certificates:
            flat = officer_rows_flat(walk.case)[1][certificate.officer_id]
            (facts,) = [c for c in flat if c.pk == certificate.pk]
            assert facts.status_on(day) == certificate.status_on(day)
    (facts,) = officer_rows_flat(walk.case)[1][p.o1.pk]
    assert [facts.status_on(D(d)) for d in ("2026-03-12", "2026-03-25", "2026-07-01")] == [
        "suspended",
        "valid",
        "revoked",
    ]


def test_the_flat_read_keeps_the_rows_and_their_order(walk: Walker) -> None:
    p = walk.p
    walk(services.register_case, actor=p.head_user, on=D("2026-03-03"), by=[p.o2, p.o1])
    rows, certificates = officer_rows_flat(walk.case)
    expected = officer_rows(walk.case)
    assert [(r.pk, r.ref, r.role) for r in rows] == [(r.pk, r.ref, r.role) for r in expected]
    assert sorted(certificates) == sorted({p.o1.pk, p.o2.pk})
    assert [c.number for c in certificates[p.o1.pk]] == ["ZJA0001"]


def test_a_page_of_cases_loads_its_certificates_in_one_query(
    walk: Walker, general_case, organ_a, power_item
) -> None:
    """``load_certificates``: the officers of every case of a page in one query, and
    each case's document is the one exported case by case."""
    _certificates(walk)
    p = walk.p
    walk(services.register_case, actor=p.head_user, on=D("2026-03-03"), by=[p.o1])
    other = Walker(
        open_general_case(organ_a, power_item, p),
        p,
    )
    other(services.register_case, actor=p.head_user, on=D("2026-03-03"), by=[p.o2, p.host])
    day = D("2026-03-12")
    expected = {c.pk: export_document(c, day) for c in Case.objects.all()}
    page = list(prefetch(Case.objects.order_by("pk")))
    with CaptureQueriesContext(connection) as loading:
        load_certificates(page)
    assert len(loading) == 1
    with CaptureQueriesContext(connection) as exporting:
        documents = {c.pk: export_document(c, day) for c in page}
    assert len(exporting) == 0
    assert documents == expected
    assert {o["certificate"]["number"] for o in documents[other.case.pk]["officers"]} == {
        "ZJA0002",
        "ZJA0003",
    }
