"""Personal API tokens: shown once, stored hashed, scoped as their user, revocable,
expiring."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from zhifa.accounts.models import ApiToken
from zhifa.accounts.services import create_api_token, revoke_api_token
from zhifa.core.testing import client_for


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.django_db
class TestApiTokens:
    def test_token_acts_as_its_user_with_its_scope(self, officer_a, organ_a, organ_b):
        new = create_api_token(officer_a, "export", 30)
        client = Client(enforce_csrf_checks=True)
        me = client.get("/api/v1/me", **bearer(new.plaintext))
        assert me.status_code == 200 and me.json()["username"] == "officer_a"
        assert (
            client.get(f"/api/v1/organs/{organ_b.pk}", **bearer(new.plaintext)).status_code == 404
        )
        organs = client.get("/api/v1/organs", **bearer(new.plaintext)).json()["items"]
        assert [o["name"] for o in organs] == [organ_a.name]
        assert ApiToken.objects.get().last_used_at is not None

    def test_only_a_digest_is_stored(self, officer_a):
        new = create_api_token(officer_a, "x", None)
        stored = ApiToken.objects.get()
        secret = new.plaintext.split("_", 2)[2]
        assert secret not in stored.digest and stored.prefix in new.plaintext

    def test_wrong_revoked_and_expired_tokens_are_refused(self, officer_a, frozen_clock):
        client = Client()
        new = create_api_token(officer_a, "x", 30)
        assert client.get("/api/v1/me", **bearer(new.plaintext + "x")).status_code == 401
        assert client.get("/api/v1/me", **bearer("zf_nothing_here")).status_code == 401
        revoke_api_token(officer_a, new.token.pk)
        assert client.get("/api/v1/me", **bearer(new.plaintext)).status_code == 401
        other = create_api_token(officer_a, "y", 30)
        ApiToken.objects.filter(pk=other.token.pk).update(
            expires_at=frozen_clock - timedelta(seconds=1)
        )
        response = client.get("/api/v1/me", **bearer(other.plaintext))
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated"

    def test_a_disabled_user_s_token_stops_working(self, officer_a):
        new = create_api_token(officer_a, "x", None)
        officer_a.is_active = False
        officer_a.save()
        assert Client().get("/api/v1/me", **bearer(new.plaintext)).status_code == 401


@pytest.mark.django_db
class TestApiTokenPage:
    def test_create_shows_the_token_once(self, officer_a):
        client = client_for(officer_a)
        html = client.post("/accounts/tokens/", {"name": "案件系统", "days": "90"}).content.decode()
        token = ApiToken.objects.get(user=officer_a)
        assert f"zf_{token.prefix}_" in html and "不会再次显示" in html
        again = client.get("/accounts/tokens/").content.decode()
        assert "案件系统" in again and 'id="new-token"' not in again

    def test_bad_input_names_the_field_and_writes_nothing(self, officer_a):
        response = client_for(officer_a).post("/accounts/tokens/", {"name": "", "days": "7"})
        assert response.status_code == 400
        html = response.content.decode()
        assert "请为令牌命名" in html and "有效期" in html
        assert not ApiToken.objects.exists()

    def test_cannot_revoke_someone_else_s_token(self, officer_a, officer_b):
        theirs = create_api_token(officer_b, "theirs", None)
        response = client_for(officer_a).post(f"/accounts/tokens/{theirs.token.pk}/revoke/")
        assert response.status_code == 302
        theirs.token.refresh_from_db()
        assert theirs.token.revoked_at is None

    def test_revoke_own_token(self, officer_a):
        mine = create_api_token(officer_a, "mine", None)
        client_for(officer_a).post(f"/accounts/tokens/{mine.token.pk}/revoke/")
        mine.token.refresh_from_db()
        assert mine.token.revoked_at is not None


@pytest.mark.django_db
def test_an_empty_post_is_an_error_not_a_blank_page(officer_a):
    response = client_for(officer_a).post("/accounts/tokens/", {})
    assert response.status_code == 400
    assert "请为令牌命名" in response.content.decode()
    assert not ApiToken.objects.exists()
