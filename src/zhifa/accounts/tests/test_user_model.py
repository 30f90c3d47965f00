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
