from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from zhifa.accounts.models import Role, User


@pytest.mark.django_db
class TestUserScopeFields:
    def test_organ_roles_need_an_organ(self, regions):
        user = User(username="x", full_name="x", role=Role.OFFICER)
        with pytest.raises(ValidationError) as exc:
            user.full_clean()
        assert "organ" in exc.value.message_dict

    def test_supervisor_needs_a_region_and_no_organ(self, organ_a, regions):
        user = User(username="s", full_name="s", role=Role.SUPERVISOR)
        with pytest.raises(ValidationError) as exc:
            user.full_clean()
        assert "region" in exc.value.message_dict
        user.region = regions["330400"]
        user.organ = organ_a
        with pytest.raises(ValidationError) as exc:
            user.full_clean()
        assert "organ" in exc.value.message_dict


@pytest.mark.django_db
class TestAdministratorEscalation:
    def test_region_administrator_has_no_unscoped_admin(self, regions, organ_b):
        from zhifa.core.testing import client_for, make_user

        admin_c = make_user("adm_c", Role.ADMINISTRATOR, region=regions["330424"])
        assert not admin_c.is_staff
        client = client_for(admin_c)
        assert client.get("/admin/accounts/user/").status_code == 302
        response = client.post(
            "/admin/accounts/user/add/",
            {
                "username": "evil",
                "full_name": "x",
                "role": "organ_head",
                "organ": organ_b.pk,
                "password1": "Strong-password-2026",
                "password2": "Strong-password-2026",
            },
        )
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert not User.objects.filter(username="evil").exists()

    def test_platform_administrator_cannot_make_itself_superuser(self, regions):
        from zhifa.core.testing import client_for, make_user

        admin = make_user("plat", Role.ADMINISTRATOR)
        assert admin.is_staff and not admin.is_superuser
        client = client_for(admin)
        page = client.get(f"/admin/accounts/user/{admin.pk}/change/").content.decode()
        assert 'name="is_superuser"' not in page
        client.post(
            f"/admin/accounts/user/{admin.pk}/change/",
            {
                "username": "plat",
                "full_name": "plat",
                "role": "administrator",
                "is_active": "on",
                "is_superuser": "on",
            },
        )
        admin.refresh_from_db()
        assert not admin.is_superuser
