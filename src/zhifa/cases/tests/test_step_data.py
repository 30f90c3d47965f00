"""A step's data is the format's: invalid data is refused before the rules run, and the
warnings a step causes are kept with the step and in its record entry."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from zhifa.cases import services
from zhifa.records.models import Entry

from .conftest import D, Walker, counts


def test_data_outside_the_format_is_refused(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    before = counts()
    with pytest.raises(ValidationError) as refused:
        walk(
            services.add_step,
            step="investigation",
            on=D("2026-03-04"),
            officers=[walk.p.o1, walk.p.o2],
            certificates_shown="yes",
        )
    assert refused.value.code == "invalid_step"
    assert "steps[1].certificates_shown" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        walk(
            services.add_step,
            step="investigation",
            on=D("2026-03-04"),
            officers=["O1", "O2"],
            evidence=["documentary"],
        )
    assert refused.value.code == "officer"  # a bare id would escape the checks of people
    with pytest.raises(ValidationError):
        walk(services.add_step, step="no_such_step", on=D("2026-03-04"))
    assert counts() == before


def test_warnings_are_recorded_with_the_step(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()
    walk.notify()
    walk(services.request_hearing, on=D("2026-03-18"))
    walk(services.notify_hearing, on=D("2026-03-19"), hearing_on=D("2026-03-30"))
    step = walk(
        services.hold_hearing,
        actor=walk.p.host.user,
        on=D("2026-03-30"),
        host=walk.p.host,
        public=False,
    )
    assert "APL-64-hearing-notice" in [w["rule"] for w in step.warnings]  # not public: check
    entry = Entry.objects.filter(action="case.hearing").get()
    assert "APL-64-hearing-notice" in json.loads(entry.payload)["warnings"]
