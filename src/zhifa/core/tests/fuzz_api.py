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

Then statefully (``test_api_stateful``, once per role): schemathesis's state machine
follows the document's OpenAPI links (``core.api.API_LINKS``: a list or a created object
gives the id the next call takes, e.g. ``GET /cases`` → ``POST /cases/{case_pk}/steps``),
``ZHIFA_FUZZ_SCENARIOS`` scenarios (default 30) of at most ``ZHIFA_FUZZ_STEPS`` calls
(default 6) per role, with the same checks; each scenario starts from the demo data (a
savepoint rolled back after it), its calls seeing what the earlier ones wrote. The
document's own links only: schemathesis's inference of links from names and schemas is
off.

Anonymous gets ``ZHIFA_FUZZ_ANONYMOUS_EXAMPLES`` examples per operation (default 2): every
operation answers it 401 before reading any input.
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
from django.db import transaction
from hypothesis import HealthCheck, settings

from zhifa.core.api import register_routers
from zhifa.core.testing import FROZEN_NOW

#: Examples per operation and role (``ZHIFA_FUZZ_EXAMPLES`` overrides).
MAX_EXAMPLES = int(os.environ.get("ZHIFA_FUZZ_EXAMPLES", "6"))
#: Examples per operation without a token (``ZHIFA_FUZZ_ANONYMOUS_EXAMPLES``).
ANONYMOUS_EXAMPLES = int(os.environ.get("ZHIFA_FUZZ_ANONYMOUS_EXAMPLES", "2"))
#: Stateful scenarios per role, and calls per scenario at most.
SCENARIOS = int(os.environ.get("ZHIFA_FUZZ_SCENARIOS", "30"))
STEPS = int(os.environ.get("ZHIFA_FUZZ_STEPS", "6"))

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
        # The document's links (core.api.API_LINKS), not links guessed from names.
        "phases": {"stateful": {"max-steps": STEPS, "inference": {"algorithms": []}}},
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


def _headers(role: str, tokens: dict[str, str]) -> dict[str, str] | None:
    return {"Authorization": f"Bearer {tokens[role]}"} if role in tokens else None


@pytest.fixture(params=[role for role, user in ROLES.items() if user])
def role(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@schema.parametrize()
# The role and the test's transaction stay the same for all examples of a test, on purpose.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_api(case: Any, role: str, tokens: dict[str, str], db: None) -> None:
    case.call_and_validate(headers=_headers(role, tokens))


@schema.parametrize()
@settings(
    max_examples=ANONYMOUS_EXAMPLES,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    deadline=None,
)
def test_api_anonymous(case: Any, tokens: dict[str, str], db: None) -> None:
    case.call_and_validate()


@pytest.mark.parametrize("stateful_role", [role for role, user in ROLES.items() if user])
def test_api_stateful(stateful_role: str, tokens: dict[str, str], db: None) -> None:
    headers = _headers(stateful_role, tokens)

    class Machine(schema.as_state_machine()):  # type: ignore[misc]
        # Each scenario from the same data (a savepoint rolled back after it): what one
        # scenario wrote would change what the lists give the next one, and Hypothesis
        # replays a scenario expecting the same data (else FlakyStrategyDefinition).
        def setup(self) -> None:
            self.savepoint = transaction.savepoint()

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)
            super().teardown()

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            # As ``call_and_validate`` does: the checks know the token is the caller's
            # own (``ignored_auth`` then probes without it), not one generated.
            case.validate_response(
                response,
                additional_checks=additional_checks,
                headers=headers,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    Machine.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
