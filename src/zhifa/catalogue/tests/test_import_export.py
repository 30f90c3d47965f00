"""Import whole or nothing with a row-by-row error report; export; JSON catalogue."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zhifa.catalogue.exchange import import_table
from zhifa.catalogue.models import BenchmarkBand, DiscretionBenchmark, PowerItem
from zhifa.core.testing import client_for
from zhifa.registry.models import Certificate, Officer
from zhifa.registry.tests.conftest import ID_A, ID_B

HEADERS = [
    "编码",
    "名称",
    "类别",
    "法律依据",
    "责任事项",
    "生效日期",
    "失效日期",
    "已公布",
    "公布日期",
]


def xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


GOOD = [
    "CF-010",
    "对甲的处罚",
    "行政处罚",
    "《中华人民共和国食品安全法》第三十五条第一百二十二条",
    "立案责任",
    "2024-01-01",
    "",
    "是",
    "2024-01-02",
]
GOOD2 = [
    "CF-011",
    "对乙的处罚",
    "penalty",
    "《中华人民共和国食品安全法》第一百二十六条",
    "",
    "2024-01-01",
    "",
    "否",
    "",
]
BAD_CATEGORY = ["CF-012", "对丙的处罚", "罚没", "", "", "2024-01-01", "", "否", ""]


@pytest.mark.django_db
class TestPowerItemImport:
    def test_one_bad_row_changes_nothing_and_names_row_and_column(
        self, articles, organ_a, head_a, item_a
    ):
        before = list(PowerItem.objects.values_list("code", "name"))
        data = xlsx([GOOD, GOOD2, BAD_CATEGORY])
        response = client_for(head_a).post(
            reverse("catalogue:import"),
            {
                "kind": "power_items",
                "organ": organ_a.pk,
                "file": SimpleUploadedFile("items.xlsx", data),
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "<td>4</td><td>类别</td>" in html and "罚没" in html
        assert list(PowerItem.objects.values_list("code", "name")) == before

    def test_api_reports_the_same_errors(self, articles, organ_a, head_a):
        data = xlsx(
            [
                GOOD,
                [
                    "CF-013",
                    "",
                    "行政处罚",
                    "《不存在的法》第一条",
                    "",
                    "2024-13-01",
                    "",
                    "也许",
                    "",
                ],
            ]
        )
        response = client_for(head_a).post(
            "/api/v1/imports/power_items",
            {"organ_id": organ_a.pk, "file": SimpleUploadedFile("items.xlsx", data)},
        )
        assert response.status_code == 400
        body = response.json()
        assert body["applied"] is False and body["created"] == 0
        assert body["status"] == 400 and body["code"] == "invalid" and body["message"]
        cells = {(e["row"], e["column"]) for e in body["errors"]}
        assert cells == {(3, "名称"), (3, "法律依据"), (3, "生效日期"), (3, "已公布")}
        assert "file.rows[3].生效日期" in {e["path"] for e in body["errors"]}
        assert PowerItem.objects.count() == 0

    def test_good_file_applies_whole(self, articles, organ_a, head_a):
        data = xlsx([GOOD, GOOD2])
        body = (
            client_for(head_a)
            .post(
                "/api/v1/imports/power_items",
                {"organ_id": organ_a.pk, "file": SimpleUploadedFile("items.xlsx", data)},
            )
            .json()
        )
        assert body == {
            "kind": "power_items",
            "applied": True,
            "created": 2,
            "updated": 0,
            "errors": [],
        }
        item = PowerItem.objects.get(code="CF-010")
        assert item.published and [a.number for a in item.basis.all()] == [
            "第三十五条",
            "第一百二十二条",
        ]

    def test_csv_and_duplicate_codes(self, articles, organ_a, head_a):
        text = ",".join(HEADERS) + "\n" + ",".join(GOOD) + "\n" + ",".join(GOOD) + "\n"
        result = import_table(
            "power_items", io.BytesIO(text.encode("utf-8-sig")), "x.csv", organ_a, head_a
        )
        assert [(e.row, e.column) for e in result.errors] == [(3, "编码")]
        assert PowerItem.objects.count() == 0

    def test_missing_column_and_unreadable_file(self, organ_a, head_a):
        result = import_table(
            "power_items", io.BytesIO(xlsx([], ["编码", "名称"])), "x.xlsx", organ_a, head_a
        )
        assert {(e.row, e.column) for e in result.errors} == {(1, "类别"), (1, "生效日期")}
        broken = import_table("power_items", io.BytesIO(b"not a zip"), "x.xlsx", organ_a, head_a)
        assert broken.errors and not broken.ok
        wrong = import_table("power_items", io.BytesIO(b""), "x.pdf", organ_a, head_a)
        assert "xlsx" in wrong.errors[0].message

    def test_cannot_import_into_another_organ(self, articles, organ_b, head_a):
        response = client_for(head_a).post(
            "/api/v1/imports/power_items",
            {"organ_id": organ_b.pk, "file": SimpleUploadedFile("items.xlsx", xlsx([GOOD]))},
        )
        assert response.status_code == 404 and PowerItem.objects.count() == 0

    def test_export_round_trip(self, item_a, head_a, organ_a):
        client = client_for(head_a)
        response = client.get(reverse("catalogue:export", args=["power_items", "xlsx"]))
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == HEADERS and rows[1][0] == "CF-001"
        PowerItem.objects.all().delete()
        result = import_table(
            "power_items", io.BytesIO(response.content), "x.xlsx", organ_a, head_a
        )
        assert result.ok and result.created == 1
        assert PowerItem.objects.get().basis.count() == 2


BENCH_HEADERS = [
    "权力事项编码",
    "违法行为",
    "处罚依据",
    "法定处罚幅度",
    "法定罚款下限",
    "法定罚款上限",
    "说明",
    "生效日期",
    "失效日期",
    "已公布",
    "公布日期",
    "裁量情形",
    "适用条件",
    "处罚内容",
    "罚款下限",
    "罚款上限",
]


@pytest.mark.django_db
class TestBenchmarkImport:
    def _row(self, circumstance, conditions, low, high):
        return [
            "CF-001",
            "无证经营",
            "《中华人民共和国食品安全法》第一百二十二条",
            "五万至十万",
            "50000",
            "100000",
            "",
            "2024-01-01",
            "",
            "是",
            "2024-01-01",
            circumstance,
            conditions,
            "罚款",
            low,
            high,
        ]

    def test_band_error_names_its_row(self, item_a, head_a, organ_a):
        rows = [
            self._row("一般处罚", "一般", "60000", "90000"),
            self._row("从重处罚", "从重", "90000", "120000"),
        ]
        result = import_table(
            "benchmarks", io.BytesIO(xlsx(rows, BENCH_HEADERS)), "b.xlsx", organ_a, head_a
        )
        assert [(e.row, e.column) for e in result.errors] == [(3, "罚款上限")]
        assert DiscretionBenchmark.objects.count() == 0

    def test_good_benchmark_and_export(self, item_a, head_a, organ_a):
        rows = [
            self._row("一般处罚", "一般", "60000", "90000"),
            self._row("减轻处罚", "主动消除", "10000", "50000"),
        ]
        result = import_table(
            "benchmarks", io.BytesIO(xlsx(rows, BENCH_HEADERS)), "b.xlsx", organ_a, head_a
        )
        assert result.ok and result.created == 1 and BenchmarkBand.objects.count() == 2
        csv = client_for(head_a).get(reverse("catalogue:export", args=["benchmarks", "csv"]))
        text = csv.content.decode("utf-8-sig")
        assert text.splitlines()[0] == ",".join(BENCH_HEADERS) and "主动消除" in text
        again = import_table("benchmarks", io.BytesIO(csv.content), "b.csv", organ_a, head_a)
        assert again.ok and again.updated == 1


OFFICER_HEADERS = [
    "姓名",
    "身份证号码",
    "人员类别",
    "职务",
    "执法领域",
    "法律职业资格",
    "法律职业资格证书编号",
    "执法证号",
    "发证机关",
    "执法证有效期起",
    "执法证有效期止",
]


@pytest.mark.django_db
class TestOfficerImport:
    def test_officers_with_certificates(self, organ_a, supervisor_city, head_a):
        rows = [
            [
                "张三",
                ID_A,
                "执法人员",
                "科员",
                "食品安全",
                "否",
                "",
                "C-0001",
                "嘉兴市人民政府",
                "2025-01-01",
                "2029-12-31",
            ],
            ["李四", ID_B, "协助执法人员", "协管员", "", "否", "", "", "", "", ""],
        ]
        result = import_table(
            "officers", io.BytesIO(xlsx(rows, OFFICER_HEADERS)), "o.xlsx", organ_a, supervisor_city
        )
        assert result.ok, result.errors
        assert Officer.objects.count() == 2 and Certificate.objects.get().number == "C-0001"
        # An organ head may import officers but not record new certificates.
        rows[0][7] = "C-0002"
        refused = import_table(
            "officers", io.BytesIO(xlsx(rows, OFFICER_HEADERS)), "o.xlsx", organ_a, head_a
        )
        assert [(e.row, e.column) for e in refused.errors] == [(2, "执法证号")]
        assert Certificate.objects.count() == 1

    def test_bad_id_number_changes_nothing(self, organ_a, supervisor_city):
        rows = [
            ["张三", ID_A, "", "", "", "", "", "", "", "", ""],
            [
                "李四",
                ID_B[:-1] + ("0" if ID_B[-1] != "0" else "1"),
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ]
        result = import_table(
            "officers", io.BytesIO(xlsx(rows, OFFICER_HEADERS)), "o.xlsx", organ_a, supervisor_city
        )
        assert [(e.row, e.column) for e in result.errors] == [(3, "身份证号码")]
        assert Officer.objects.count() == 0

    def test_export_hides_id_numbers_outside_the_organ(
        self, organ_a, supervisor_city, head_a, actor
    ):
        from zhifa.registry.services import save_officer

        save_officer(organ=organ_a, name="张三", id_number=ID_A, actor=actor)
        outside = client_for(supervisor_city).get(
            reverse("catalogue:export", args=["officers", "csv"])
        )
        assert ID_A not in outside.content.decode("utf-8-sig") and "张三" in outside.content.decode(
            "utf-8-sig"
        )
        inside = client_for(head_a).get(reverse("catalogue:export", args=["officers", "csv"]))
        assert ID_A in inside.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_json_catalogue_of_an_organ(benchmark_a, item_a, item_b, officer_a, organ_a, organ_b):
    client = client_for(officer_a)
    body = client.get(f"/api/v1/organs/{organ_a.pk}/catalogue").json()
    assert [p["code"] for p in body["power_items"]] == ["CF-001"]
    item = body["power_items"][0]
    assert item["basis"][0]["law"] == "中华人民共和国食品安全法"
    assert len(item["benchmarks"][0]["bands"]) == 5
    assert client.get(f"/api/v1/organs/{organ_b.pk}/catalogue").status_code == 404
    page = client.get(reverse("catalogue:organ_export_json", args=[organ_a.pk]))
    assert page.status_code == 200 and "CF-001" in page.content.decode()
    assert client.get(reverse("catalogue:organ_export_json", args=[organ_b.pk])).status_code == 404


@pytest.mark.django_db
def test_export_through_the_api(item_a, item_b, officer_a):
    client = client_for(officer_a)
    response = client.get("/api/v1/exports/power_items?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "CF-001" in text and "CF-101" not in text
    assert client.get("/api/v1/exports/secrets?format=csv").status_code == 404
    xlsx_response = client.get("/api/v1/exports/benchmarks")
    assert xlsx_response.status_code == 200
    assert load_workbook(io.BytesIO(xlsx_response.content)).active.max_row == 1  # header only
