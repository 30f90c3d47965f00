"""The party's API (docs/party.md): the read model of the party page, and the party's
statement and hearing request. Public: no token; every call carries the case number and
the access code in its body (nothing in the URL, so neither is logged), and counts
against the sign-in's rate limit per client address, the wrong codes against the case's
lock, as the page's sign-in does.

- ``POST /party/case``: the party's view of its case. 200; 400 (``invalid``); 401
  (``wrong_code``: the number or the code is wrong — one answer for both); 429
  (``rate_limited``, or ``locked`` after too many wrong codes for the case).
- ``POST /party/case/statement``: the statement and defence, recorded as the case's
  ``statement`` step by the party. 201; 400, 401, 429 as above; 409 (``refused``: the
  case is not at a point where the party is heard); 422 (``rule_violation``: a rule of
  the engine refuses it, named with its citation).
- ``POST /party/case/hearing-request``: the request for a hearing
  (``hearing_requested``). 201; as the statement; 422 with APL-64-hearing-request when
  the notice offered no hearing or its window closed.
- ``POST /party/case/consent``: the party's signed consent to electronic service
  (APL-61-service): the name as its signature, the address, ``agree`` true. 201; 400
  naming the field; 401, 429 as above; 409 (``refused``: the most consents the platform
  takes online).
- ``POST /party/case/rating``: the party's rating of the conduct of its case (1–5, a
  comment), once, after the decision. 201; 400 naming the field (``body.score`` when the
  case is not decided yet or was rated already); 401, 429 as above.

Each act goes through the same service as the party's page (``services.give_consent``,
``services.rate_conduct`` with the page's ``decided``), so the same checks decide it.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from zhifa.core.api import ErrorOut, error_body
from zhifa.core.schemas import InputSchema
from zhifa.registry import services as registry_services
from zhifa.registry.views import _client_key

from . import queries, services
from .models import PartyAccess

router = Router(tags=["party"])

_ERROR_REF = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
_RESPONSES = {
    401: {
        "description": "The case number or the access code is wrong (`code` `wrong_code`; "
        "one answer for both).",
        "content": _ERROR_REF,
    },
    429: {
        "description": "Too many calls from this client (`code` `rate_limited`), or too many "
        "wrong codes for this case (`code` `locked`: the message says until when); retry later.",
        "content": _ERROR_REF,
    },
}
_ACT_RESPONSES = {
    **_RESPONSES,
    409: {
        "description": "Refused (`code` `refused`): the case is not at a point where the "
        "party may do this (the message says why).",
        "content": _ERROR_REF,
    },
    422: {
        "description": "Refused by the rules (`code` `rule_violation`): `errors` names the "
        "rule (`path` `rule`) with its citation in the message.",
        "content": _ERROR_REF,
    },
}


class PartyCredentials(InputSchema):
    number: str = Field(min_length=1, max_length=64, description="The case number (立案号).")
    code: str = Field(
        min_length=1, max_length=32, description="The access code printed on a served document."
    )


class PartyStatementIn(PartyCredentials):
    statement: str = Field(
        min_length=1, max_length=services.STATEMENT_MAX, description="The statement and defence."
    )


class PartyConsentIn(PartyCredentials):
    signed_name: str = Field(
        max_length=200,
        description="The party's name (its legal representative's for an organisation), "
        "typed as its signature.",
    )
    address: str = Field(
        max_length=200,
        description="The e-mail address or mobile number where documents may be served.",
    )
    agree: bool = Field(
        description="`true`: the party agrees that the documents of this case are served "
        "to it electronically (APL-61-service); nothing is recorded otherwise."
    )


class PartyRatingIn(PartyCredentials):
    score: int = Field(
        description="The rating of how the case was conducted, from 1 to 5.",
        json_schema_extra={"minimum": 1, "maximum": 5},
    )
    comment: str = Field("", max_length=services.COMMENT_MAX)


class PartyConsentOut(Schema):
    signed_name: str
    address: str
    given_on: dt.date


class PartyStepOut(Schema):
    index: int
    step: str
    label: str
    on: dt.date
    document_number: str
    by_party: bool


class PartyOfficerOut(Schema):
    name: str
    certificate: str = Field(description="The number of the enforcement certificate.")


class PartyDocumentOut(Schema):
    id: int
    kind: str
    label: str
    number: str
    issued_on: dt.date


class PartyDeadlineOut(Schema):
    rule: str = Field(description="The rule ID (legal-rules.md).")
    label: str
    citation: str
    start: dt.date | None
    due: dt.date
    status: str = Field(description="met, missed, open, overdue (a deadline) or ended.")
    unscheduled_years: list[int] = Field(
        description="Years counted without an official holiday schedule (weekends only)."
    )


class PartyPaymentOut(Schema):
    on: dt.date
    amount: Decimal | None


class PartyMoneyOut(Schema):
    fine: Decimal
    paid: Decimal
    deadline: dt.date | None = Field(description="APL-67-payment.")
    late_fee: Decimal | None = Field(description="APL-72-late-fee, as of `as_of`.")
    late_fee_cap: Decimal | None
    outstanding: Decimal
    cannot_judge: str | None
    payments: list[PartyPaymentOut]


class PartyRatingOut(Schema):
    score: int
    rated_on: dt.date


class PartyCaseOut(Schema):
    number: str
    organ: str
    party_name: str
    status: str
    status_label: str
    procedure: str
    as_of: dt.date
    steps: list[PartyStepOut]
    officers: list[PartyOfficerOut]
    documents: list[PartyDocumentOut]
    deadlines: list[PartyDeadlineOut]
    money: PartyMoneyOut | None
    may_state: bool
    may_request_hearing: bool
    decided: bool
    rated: PartyRatingOut | None
    electronic_service_consent: bool


def _error(status: int, code: str, message: str) -> Any:
    return Status(status, error_body(status, code, message))


def _signed_in(request: HttpRequest, body: PartyCredentials) -> PartyAccess | Any:
    limit = int(getattr(settings, "ZHIFA_PARTY_RATE_LIMIT", 10))
    if not registry_services.rate_limit_hit("party:" + _client_key(request), limit):
        return _error(429, "rate_limited", _("Too many requests: try again in a minute."))
    try:
        access, _code = services.sign_in(body.number, body.code)
    except services.SignInFailed as exc:
        if exc.locked_until is not None:
            return _error(429, "locked", exc.message)
        return _error(401, "wrong_code", exc.message)
    return access


def _view_out(access: PartyAccess) -> dict[str, Any]:
    view = queries.party_view(access, timezone.localdate())
    return {
        "number": view.number,
        "organ": view.organ,
        "party_name": view.party_name,
        "status": view.status,
        "status_label": view.status_label,
        "procedure": view.procedure,
        "as_of": view.as_of,
        "steps": [vars(s) for s in view.steps],
        "officers": [vars(o) for o in view.officers],
        "documents": [vars(d) for d in view.documents],
        "deadlines": [
            {**vars(d), "unscheduled_years": list(d.unscheduled_years)} for d in view.deadlines
        ],
        "money": None
        if view.money is None
        else {**vars(view.money), "payments": [vars(p) for p in view.money.payments]},
        "may_state": view.may_state,
        "may_request_hearing": view.may_request_hearing,
        "decided": view.decided,
        "rated": None
        if view.rating is None
        else {"score": view.rating.score, "rated_on": view.rating.rated_on},
        "electronic_service_consent": bool(view.consents),
    }


@router.post(
    "/party/case",
    response={200: PartyCaseOut, 401: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="The party's view of its case (case number and access code)",
    openapi_extra={"responses": _RESPONSES},
)
def party_case(request: HttpRequest, body: PartyCredentials) -> Any:
    access = _signed_in(request, body)
    if not isinstance(access, PartyAccess):
        return access
    return _view_out(access)


def _refusal(exc: services.PartyRefusal) -> Any:
    if exc.rule:
        message = f"{exc.rule}（{exc.citation}）：{exc.text}"
        return Status(
            422,
            error_body(422, "rule_violation", message, [{"path": "rule", "message": exc.rule}]),
        )
    if exc.field:
        return Status(
            400,
            error_body(
                400, "invalid", exc.text, [{"path": f"body.{exc.field}", "message": exc.text}]
            ),
        )
    return _error(409, "refused", exc.text)


def _step_out(access: PartyAccess, step: Any) -> dict[str, Any]:
    from zhifa.cases.labels import step_label

    return {
        "index": step.index,
        "step": step.step,
        "label": str(step_label(step.step)),
        "on": step.on,
        "document_number": step.document_number,
        "by_party": step.actor_id == access.principal_id,
    }


@router.post(
    "/party/case/statement",
    response={
        201: PartyStepOut,
        400: ErrorOut,
        401: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    auth=None,
    summary="File the party's statement and defence (the case's statement step)",
    openapi_extra={"responses": _ACT_RESPONSES},
)
def party_statement(request: HttpRequest, body: PartyStatementIn) -> Any:
    access = _signed_in(request, body)
    if not isinstance(access, PartyAccess):
        return access
    try:
        step = services.file_statement(access, statement=body.statement, today=timezone.localdate())
    except services.PartyRefusal as exc:
        return _refusal(exc)
    return Status(201, _step_out(access, step))


@router.post(
    "/party/case/hearing-request",
    response={
        201: PartyStepOut,
        400: ErrorOut,
        401: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    auth=None,
    summary="Ask for a hearing (the case's hearing_requested step)",
    openapi_extra={"responses": _ACT_RESPONSES},
)
def party_hearing_request(request: HttpRequest, body: PartyCredentials) -> Any:
    access = _signed_in(request, body)
    if not isinstance(access, PartyAccess):
        return access
    try:
        step = services.request_hearing(access, today=timezone.localdate())
    except services.PartyRefusal as exc:
        return _refusal(exc)
    return Status(201, _step_out(access, step))


_CONSENT_RESPONSES = {
    **_RESPONSES,
    400: {
        "description": "Bad input (`code` `invalid`): `errors` names the field "
        "(`body.signed_name`, `body.address`: empty, too long or with control characters; "
        "`body.agree`: not `true`).",
        "content": _ERROR_REF,
    },
    409: {
        "description": "Refused (`code` `refused`): the party gave its consent the most "
        "times the platform takes online (the message says what to do).",
        "content": _ERROR_REF,
    },
}


@router.post(
    "/party/case/consent",
    response={201: PartyConsentOut, 400: ErrorOut, 401: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Give the party's signed consent to electronic service (APL-61-service)",
    openapi_extra={"responses": _CONSENT_RESPONSES},
)
def party_consent(request: HttpRequest, body: PartyConsentIn) -> Any:
    access = _signed_in(request, body)
    if not isinstance(access, PartyAccess):
        return access
    try:
        consent = services.give_consent(
            access,
            signed_name=body.signed_name,
            address=body.address,
            agreed=body.agree,
            today=timezone.localdate(),
        )
    except ValidationError as exc:
        refused = exc.message_dict.get(NON_FIELD_ERRORS) if hasattr(exc, "error_dict") else None
        if refused:
            return _error(409, "refused", " ".join(refused))
        raise
    return Status(
        201,
        {
            "signed_name": consent.signed_name,
            "address": consent.address,
            "given_on": consent.given_on,
        },
    )


_RATING_RESPONSES = {
    **_RESPONSES,
    400: {
        "description": "Bad input or refused (`code` `invalid`): `errors` names the field — "
        "`body.score` (not a whole number from 1 to 5; the case is not decided yet; the "
        "case was rated already: it is rated once), `body.comment` (too long, control "
        "characters).",
        "content": _ERROR_REF,
    },
}


@router.post(
    "/party/case/rating",
    response={201: PartyRatingOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Rate the conduct of the case, once, after the decision",
    openapi_extra={"responses": _RATING_RESPONSES},
)
def party_rating(request: HttpRequest, body: PartyRatingIn) -> Any:
    access = _signed_in(request, body)
    if not isinstance(access, PartyAccess):
        return access
    today = timezone.localdate()
    try:
        rating = services.rate_conduct(
            access,
            score=body.score,
            comment=body.comment,
            today=today,
            decided=queries.party_view(access, today).decided,
        )
    except services.PartyRefusal as exc:
        return _refusal(exc)
    return Status(201, {"score": rating.score, "rated_on": rating.rated_on})
