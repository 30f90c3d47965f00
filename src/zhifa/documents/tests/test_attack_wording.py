"""A region's wording override (``WordingOverride``, Django template syntax, edited in
the administration site) as an attack (issue #14 review): it is data, so it must not
load or include templates, dump the context or the modules, read the clock, reach
methods of what it is filled with, or hang the worker with loops and padding. The tags
and filters it may use are an allowlist; what it may produce is bounded; a stored
override that breaks these rules (written around the admin's check) refuses the
document with a clear error and writes nothing."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhifa.cases import documents, services
from zhifa.cases.models import CaseStep
from zhifa.cases.tests.conftest import FINE, D, Walker
from zhifa.core.testing import client_for
from zhifa.documents import formats, rendering
from zhifa.documents.models import IssuedDocument, IssuedNumber, WordingOverride
from zhifa.documents.tests.test_attack_content import text_of
from zhifa.records.models import Entry

pytestmark = pytest.mark.django_db

KIND = "service_receipt"  # numbered when rendered: a failed rendering must give back its number


def override(walk: Walker, text: str, *, check: bool = True) -> WordingOverride:
    """An override of the receipt's closing entry for the case's region; ``check``:
    through the admin's validation (``full_clean``), else written around it."""
    row = WordingOverride(
        region_code=walk.case.organ.region.code,
        kind=KIND,
        version=WordingOverride.objects.count() + 1,
        valid_from=D("2026-01-01"),
        wording={"verification": text},
    )
    if check:
        row.full_clean()
    row.save()
    return row


def served(walk: Walker, facts: str = "事实") -> None:
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk.investigate()
    walk.notify()
    walk(services.record_statement, on=D("2026-03-18"))
    walk.review()
    walk(services.record_collective_discussion, actor=walk.p.head_user, on=D("2026-03-26"))
    walk(  # the receipt is made from the decision: its content is the wording's
        services.issue_decision,
        actor=walk.p.head_user,
        on=D("2026-03-27"),
        approved_by=walk.p.head,
        penalties=FINE,
        content={"facts": facts},
    )
    walk.case.refresh_from_db()


def written() -> tuple[int, ...]:
    return IssuedNumber.objects.count(), IssuedDocument.objects.count(), Entry.objects.count()


REFUSED_AT_THE_ADMIN = [
    "{% load i18n %}",
    "{% include 'base.html' %}",
    "{% extends 'base.html' %}",
    "{% debug %}",
    "{% lorem 100000 w %}",
    "{% now 'Y-m-d' %}",
    "{% url 'admin:index' %}",
    "{% csrf_token %}",
    "{% filter upper %}x{% endfilter %}",
    "{% widthratio 1 1 100000000 %}",
    "{% cycle 'a' 'b' %}",
    "{% templatetag openblock %}",
    "{{ party.name|ljust:'100000000' }}",
    "{{ party.name|center:'100000000' }}",
    "{{ party.name|rjust:'100000000' }}",
    "{{ 1|stringformat:'0100000000d' }}",
    "{{ 1|floatformat:'100000' }}",
    "{{ party.name|add:party.name }}",
    "{{ party|pprint }}",
    "{{ party.name.__class__ }}",
    # texts no document can print: every document of the region would be refused
    "核验码😀{{ code }}",
    "核验码\u200b{{ code }}",
    "核验码\x00{{ code }}",  # PostgreSQL's JSON cannot even store it: a server error
]


@pytest.mark.parametrize("text", REFUSED_AT_THE_ADMIN)
def test_the_admin_refuses_tags_and_filters_outside_the_allowlist(walk: Walker, text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        override(walk, text)
    assert "wording" in refused.value.message_dict
    assert not WordingOverride.objects.exists()


def test_every_shipped_template_uses_only_what_an_override_may() -> None:
    for kind in formats.kinds():
        formats.validate_wording(kind, dict(formats.load(kind).wording))


@pytest.mark.parametrize("text", REFUSED_AT_THE_ADMIN[:8])
def test_a_stored_override_outside_the_allowlist_refuses_the_document(
    walk: Walker, text: str
) -> None:
    """Written around the admin (a data migration, the shell): the document is refused
    with a clear error naming the entry, and the number is given back."""
    served(walk)
    override(walk, text, check=False)
    before = written()
    with pytest.raises(ValidationError) as refused:
        documents.render_document(walk.case, KIND, actor=walk.p.officer_user)
    assert "verification" in " ".join(refused.value.messages), refused.value.messages
    assert written() == before
    page = client_for(walk.p.officer_user).post(
        reverse("cases:document_issue", args=[walk.case.pk, KIND]), follow=True
    )
    assert page.status_code == 200 and "verification" in page.content.decode()
    assert written() == before


@pytest.mark.parametrize(
    "text",
    [
        # 20,000 × 20,000 × … iterations over the characters of a typed text
        "{% for a in case.number %}{% for b in case.number %}{% for c in case.number %}"
        "{% for d in case.number %}{% for e in case.number %}{% for f in case.number %}x"
        "{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
        "{% for a in content.facts %}{% for b in content.facts %}x{% endfor %}{% endfor %}",
        # a large text repeated: millions of characters for the layout
        "{% for a in content.facts %}{{ content.facts }}{% endfor %}",
        "{% for a in content.facts %}{% for b in case.number %}" + "字" * 500 + "{% endfor %}"
        "{% endfor %}",
    ],
)
def test_an_override_cannot_hang_the_worker(walk: Walker, text: str) -> None:
    served(walk, facts="事" * 20_000)
    override(walk, text)  # valid syntax: only running it shows the cost
    walk.case.refresh_from_db()
    before = written()
    start = time.process_time()
    with pytest.raises(ValidationError) as refused:
        documents.render_document(walk.case, KIND, actor=walk.p.officer_user)
    seconds = time.process_time() - start
    assert seconds < 5, f"{seconds:.1f} s of CPU"
    assert "verification" in " ".join(refused.value.messages), refused.value.messages
    assert written() == before


def test_what_an_override_is_filled_with_is_data_not_objects(walk: Walker) -> None:
    """Methods of the context's lists and mappings are not called (``clear`` emptied
    the step's typed content in memory), nothing outside the context is reachable, and
    what is in it prints."""
    served(walk)
    text = (
        "[{{ settings.SECRET_KEY }}][{{ content.facts }}][{{ content.clear }}]"
        "[{{ penalties.pop }}][{{ penalties.clear }}][{{ organ.name.upper }}]"
        "[{{ penalties|length }}]"
    )
    override(walk, text)
    step = walk.case.steps.get(step="decision")
    document = documents.render_document(walk.case, KIND, actor=walk.p.officer_user)
    printed = text_of(rendering.open_pdf(document))
    assert "[][事实][][][][]" in printed.replace("嘉兴市市场监督管理局", ""), printed
    assert "[1]" in printed, printed
    assert CaseStep.objects.get(pk=step.pk).data == step.data


def test_a_filter_given_what_it_cannot_take_is_a_clear_error(walk: Walker) -> None:
    served(walk)
    override(walk, "{{ party.name|cn_index }}{{ 150|cn_index }}")
    before = written()
    document = documents.render_document(walk.case, KIND, actor=walk.p.officer_user)
    assert "150、" in text_of(rendering.open_pdf(document))
    assert written() != before


def test_the_override_still_words_the_document(walk: Walker) -> None:
    """The allowlist keeps what the templates use: conditions, loops, the filters."""
    served(walk)
    override(
        walk,
        "{% if party.name %}当事人{{ party.name|default:'—'|cut:'嘉兴' }}{% endif %}"
        "{% for p in penalties %}{{ forloop.counter|cn_index }}{{ p.text|clause }}"
        "{% empty %}无{% endfor %}{% with n=party.name|length %}{{ n }}字{% endwith %}"
        "{% firstof case.number '无' %}{# a comment #}{% comment %}x{% endcomment %}",
    )
    document = documents.render_document(walk.case, KIND, actor=walk.p.officer_user)
    printed = text_of(rendering.open_pdf(document))
    assert "当事人某某食品有限公司" in printed and "一、罚款人民币150,000元" in printed, printed
    assert document.template.endswith(f"+{walk.case.organ.region.code}@1")


def test_the_admin_form_refuses_it_and_writes_nothing(admin_user: Any, walk: Walker) -> None:
    client = client_for(admin_user)
    response = client.post(
        reverse("admin:documents_wordingoverride_add"),
        {
            "region_code": walk.case.organ.region.code,
            "kind": KIND,
            "version": "1",
            "valid_from": "2026-01-01",
            "wording": '{"verification": "{% include \'base.html\' %}"}',
            "note": "",
        },
    )
    assert response.status_code == 200, response.status_code
    assert "include" in response.content.decode()
    assert not WordingOverride.objects.exists()
