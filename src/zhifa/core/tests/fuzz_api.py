"""schemathesis over the whole OpenAPI document, as every role (``make test-api-fuzz``).

Not collected by the normal run (the file name does not match ``test_*.py``); run it
with ``.venv/bin/pytest src/zhifa/core/tests/fuzz_api.py`` (docs/development.md).

One test per operation and role: the demo data is loaded once (``zhifa demo``) into the
test database with the clock frozen at ``FROZEN_NOW``; each role acts with an API token
of its demo user, ``anonymous`` with none; each test runs in a transaction rolled back
after it. Every example is checked by all of schemathesis's checks (no 5xx; documented
status, content type, headers and body; invalid data refused; a missing required header
refused; an undeclared method answered 405; authentication not ignored) except:

- ``positive_data_acceptance`` (a request the schema allows must be accepted): the
  document cannot say which ids exist in your scope, which steps a case may take now,
  or how one field constrains another (a validity end before its start, a date after
  today), so schema-valid requests are rightly refused with 400, 404, 409 or 422. The
  rest of it (no 5xx for valid data) is ``not_a_server_error``'s.

Not stateful: the document has no OpenAPI links, so schemathesis's state machine has no
transitions to follow.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import schemathesis
import time_machine
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from zhifa.core.api import register_routers
from zhifa.core.testing import FROZEN_NOW

#: Examples per operation and role (``ZHIFA_FUZZ_EXAMPLES`` overrides).
MAX_EXAMPLES = int(os.environ.get("ZHIFA_FUZZ_EXAMPLES", "8"))

#: The demo user acting in each role (``registry.demo.USERS``); None: anonymous.
ROLES = {
    "officer": "officer",
    "legal_reviewer": "reviewer",
    "organ_head": "head",
    "supervisor": "supervisor",
    "administrator": "admin",
    "anonymous": None,
}

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261124,
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "database": "none",
            "no-shrink": True,
        },
        "checks": {
            "enabled": True,
            # See the module's docstring.
            "positive_data_acceptance": {"enabled": False},
        },
    }
)

schema = schemathesis.openapi.from_dict(register_routers().get_openapi_schema(), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture(scope="module")
def _clock() -> Iterator[None]:
    with time_machine.travel(FROZEN_NOW, tick=True):
        yield


@pytest.fixture(scope="module")
def tokens(_clock: None, django_db_setup: Any, django_db_blocker: Any) -> dict[str, str]:
    """The demo data, once for the module, and an API token for each role's demo user."""
    from zhifa.accounts.models import User
    from zhifa.accounts.services import create_api_token

    with django_db_blocker.unblock():
        call_command("demo", stdout=StringIO())
        return {
            role: create_api_token(User.objects.get(username=username), "fuzz", None).plaintext
            for role, username in ROLES.items()
            if username
        }


@pytest.fixture(params=list(ROLES))
def role(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@schema.parametrize()
# The role and the test's transaction stay the same for all examples of a test, on purpose.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_api(case: Any, role: str, tokens: dict[str, str], db: None) -> None:
    headers = {"Authorization": f"Bearer {tokens[role]}"} if role in tokens else None
    case.call_and_validate(headers=headers)
