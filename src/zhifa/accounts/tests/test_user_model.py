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

    def test_an_administrator_cannot_take_over_a_superuser(self, regions):
        """A platform administrator may not change a superuser's password (taking over
        the account above theirs) nor deactivate it; a superuser may."""
        from zhifa.core.testing import TEST_PASSWORD, client_for, make_user

        root = make_user("root", Role.ADMINISTRATOR, is_superuser=True)
        admin = make_user("plat", Role.ADMINISTRATOR)
        client = client_for(admin)
        password_url = f"/admin/accounts/user/{root.pk}/password/"
        new = {"password1": "Another-long-Pass-92", "password2": "Another-long-Pass-92"}
        assert client.get(password_url).status_code == 403
        assert client.post(password_url, new).status_code == 403
        change = client.post(
            f"/admin/accounts/user/{root.pk}/change/",
            {"username": "root", "full_name": "root", "role": "administrator"},
        )
        assert change.status_code == 403
        root.refresh_from_db()
        assert root.check_password(TEST_PASSWORD) and root.is_active
        # The superuser may, and an administrator still manages ordinary accounts.
        other = make_user("clerk", Role.ADMINISTRATOR)
        assert client.get(f"/admin/accounts/user/{other.pk}/password/").status_code == 200
        assert client_for(root).get(password_url).status_code == 200
