"""Document numbers: in sequence per organ, type and year; configurable; no duplicates
and no gaps, also under concurrent acts on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from zhifa.documents.models import DocumentType, IssuedNumber, NumberPattern, validate_pattern
from zhifa.documents.services import issue_number

DECISION = DocumentType.PENALTY_DECISION


@pytest.mark.django_db
class TestIssueNumber:
    def test_sequence_per_organ_type_and_year(self, organ_a, organ_b):
        with transaction.atomic():
            first = issue_number(organ_a, DECISION, 2026)
            second = issue_number(organ_a, DECISION, 2026)
            other_type = issue_number(organ_a, DocumentType.PRIOR_NOTICE, 2026)
            other_organ = issue_number(organ_b, DECISION, 2026)
            next_year = issue_number(organ_a, DECISION, 2027)
        assert (first.number, second.number) == (1, 2)
        assert first.text == "嘉市监罚〔2026〕1号" and second.text == "嘉市监罚〔2026〕2号"
        assert other_type.text == "嘉市监罚告〔2026〕1号"
        assert other_organ.text == "善市监罚〔2026〕1号"
        assert next_year.text == "嘉市监罚〔2027〕1号"

    def test_configured_pattern(self, organ_a):
        NumberPattern.objects.create(
            organ=organ_a, document_type=DECISION, pattern="{organ}行罚字〔{year}〕第{number:04d}号"
        )
        with transaction.atomic():
            assert issue_number(organ_a, DECISION, 2026).text == "嘉市监行罚字〔2026〕第0001号"

    def test_a_failed_act_leaves_no_gap(self, organ_a):
        with pytest.raises(RuntimeError, match="act failed"), transaction.atomic():
            issue_number(organ_a, DECISION, 2026)
            raise RuntimeError("act failed")
        with transaction.atomic():
            assert issue_number(organ_a, DECISION, 2026).number == 1
        assert list(IssuedNumber.objects.values_list("number", flat=True)) == [1]

    @pytest.mark.django_db(transaction=True)
    def test_refuses_to_run_outside_a_transaction(self, organ_a):
        with pytest.raises(RuntimeError, match="inside the transaction"):
            issue_number(organ_a, DECISION, 2026)
        assert not IssuedNumber.objects.exists()

    def test_organ_without_short_name_is_refused(self, organ_a):
        organ_a.short_name = ""
        organ_a.save()
        with pytest.raises(ValidationError) as exc, transaction.atomic():
            issue_number(organ_a, DECISION, 2026)
        assert "organ" in exc.value.message_dict


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("{organ}罚〔{year}〕号", "必须包含 {number}"),
        ("{organ}罚〔{yr}〕{number}号", "未知占位符 {yr}"),
        ("{organ}罚〔{year}〕{number号", "花括号不成对"),
        ("{organ}{number:q}", "无法按此格式生成文号"),
    ],
)
def test_bad_patterns_are_refused_with_the_reason(pattern, problem):
    with pytest.raises(ValidationError) as exc:
        validate_pattern(pattern)
    assert problem in " ".join(exc.value.messages)


@pytest.mark.django_db
def test_bad_pattern_in_the_admin_form_writes_nothing(admin_user, organ_a):
    from zhifa.core.testing import client_for

    response = client_for(admin_user).post(
        "/admin/documents/numberpattern/add/",
        {"organ": organ_a.pk, "document_type": DECISION, "pattern": "{organ}罚〔{year}〕号"},
    )
    assert response.status_code == 200
    assert "文号格式必须包含 {number}" in response.content.decode()
    assert not NumberPattern.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_get_distinct_consecutive_numbers(organ_a):
    if connection.vendor != "postgresql":
        pytest.skip("row locking under parallel workers is tested on PostgreSQL (CI's second run)")
    workers, per_worker = 8, 10
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            barrier.wait()
            for i in range(per_worker):
                try:
                    with transaction.atomic():
                        issue_number(organ_a, DECISION, 2026)
                        if (index + i) % 7 == 0:
                            raise RuntimeError("rolled back on purpose")
                except RuntimeError:
                    pass
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(IssuedNumber.objects.filter(organ=organ_a).values_list("number", flat=True))
    rolled_back = sum(1 for n in range(workers) for i in range(per_worker) if (n + i) % 7 == 0)
    assert numbers == list(range(1, workers * per_worker - rolled_back + 1))
