"""Bad input in the administration forms: a clear message naming the field, and
nothing written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from zhifa.accounts.models import User
from zhifa.core.testing import client_for
from zhifa.registry.models import EnforcementSubject, Region


@pytest.mark.django_db
class TestAdminForms:
    # Regions are read-only in the admin (loaded from the official divisions, issue #13
    # item 2: test_admin_record.py); the model still refuses bad ones, named.
    def test_bad_region_code_is_refused(self, admin_user, regions):
        before = Region.objects.count()
        response = client_for(admin_user).post(
            "/admin/registry/region/add/",
            {"code": "33A4", "name": "测试", "level": "county", "parent": regions["330400"].pk},
        )
        assert response.status_code == 403
        with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
            Region(code="33A4", name="测试", level="county", parent=regions["330400"]).full_clean()
        assert "请输入6位 GB/T 2260 行政区划代码" in str(exc.value.message_dict["code"])
        assert Region.objects.count() == before

    def test_level_must_be_below_parent(self, admin_user, regions):
        region = Region(code="330499", name="测试", level="province", parent=regions["330400"])
        with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
            region.full_clean()
        assert "层级必须低于上级区划" in str(exc.value)
        assert not Region.objects.filter(code="330499").exists()

    def test_bad_credit_code_is_refused(self, admin_user, regions):
        response = client_for(admin_user).post(
            "/admin/registry/enforcementsubject/add/",
            {
                "name": "嘉兴市测试局",
                "subject_type": "statutory",
                "region": regions["330400"].pk,
                "uscc": "91330400MA2B3C4D5X",
                "active": "on",
            },
        )
        assert response.status_code == 200
        assert "统一社会信用代码" in response.content.decode()
        assert "校验位不符" in response.content.decode()
        assert not EnforcementSubject.objects.filter(name="嘉兴市测试局").exists()

    def test_valid_credit_code_is_accepted(self, admin_user, regions):
        from stdnum.cn import uscc

        base = "91330400MA2B3C4D5"
        code = base + uscc.calc_check_digit(base)
        response = client_for(admin_user).post(
            "/admin/registry/enforcementsubject/add/",
            {
                "name": "嘉兴市测试局",
                "subject_type": "statutory",
                "region": regions["330400"].pk,
                "uscc": code,
                "active": "on",
            },
        )
        assert response.status_code == 302
        assert EnforcementSubject.objects.get(name="嘉兴市测试局").uscc == code

    def test_internal_unit_needs_parent(self, admin_user, regions):
        html = (
            client_for(admin_user)
            .post(
                "/admin/registry/enforcementsubject/add/",
                {
                    "name": "某处",
                    "subject_type": "internal_unit",
                    "region": regions["330400"].pk,
                    "active": "on",
                },
            )
            .content.decode()
        )
        assert "内设机构须填写所属机关" in html
        assert not EnforcementSubject.objects.filter(name="某处").exists()

    def test_user_with_organ_role_but_no_organ_is_refused(self, admin_user, regions):
        response = client_for(admin_user).post(
            "/admin/accounts/user/add/",
            {
                "username": "newofficer",
                "full_name": "新人",
                "role": "officer",
                "password1": "Strong-password-2026",
                "password2": "Strong-password-2026",
            },
        )
        assert response.status_code == 200
        assert "该角色必须属于一个机关" in response.content.decode()
        assert not User.objects.filter(username="newofficer").exists()

    def test_non_administrators_cannot_use_admin(self, officer_a):
        response = client_for(officer_a).get("/admin/registry/region/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_administrator_role_manages_the_registry_without_superuser(regions):
    from zhifa.accounts.models import Role
    from zhifa.core.testing import make_user

    administrator = make_user("admin2", Role.ADMINISTRATOR, full_name="管理员二")
    assert administrator.is_staff and not administrator.is_superuser
    client = client_for(administrator)
    response = client.post(
        "/admin/registry/enforcementsubject/add/",
        {
            "name": "嘉兴市新局",
            "subject_type": "statutory",
            "region": regions["330400"].pk,
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert EnforcementSubject.objects.filter(name="嘉兴市新局").exists()


@pytest.mark.django_db
def test_changing_a_role_away_from_administrator_closes_the_admin(regions):
    from zhifa.accounts.models import Role
    from zhifa.core.testing import make_organ, make_user

    user = make_user("was_admin", Role.ADMINISTRATOR)
    user.role = Role.OFFICER
    user.organ = make_organ("某局", regions["330400"])
    user.save()
    assert not user.is_staff
    assert client_for(user).get("/admin/registry/region/").status_code == 302
