"""Base classes of the API's input schemas: every text they take is checked.

``InputSchema`` (request bodies) and ``InputFilter`` (query filters) refuse, in every
field, any string (nested in lists and objects too, keys included) that
``zhifa.core.validation.text_problem`` refuses: NUL, control characters other than
tab and newline, lone surrogates. The error names the field (``body.post``) and says
what is wrong and where, so that such text never reaches the database (a 500 on
PostgreSQL, silently stored on SQLite). A single parameter outside these schemas
(a ``Form[...]`` or ``Query[...]`` argument) takes ``zhifa.core.validation.Text``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import FilterSchema, Schema
from ninja.schema import DjangoGetter
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from .validation import exact_type_problem, text_problems


def _check(value: Any) -> Any:
    # A nested schema's text is checked too (an InputSchema checked it already; an
    # output schema reused as input, e.g. review's ChecklistOutcome, did not).
    problems = text_problems(value.model_dump() if isinstance(value, BaseModel) else value)
    if problems:
        where, message = problems[0]
        if where:
            message = f"{'.'.join(str(p) for p in where)}: {message}"
        raise PydanticCustomError("bad_text", message)
    return value


def _exact(cls: Any, value: Any, handler: Any) -> Any:
    """Refuse what pydantic's lax mode would coerce (``exact_type_problem``), naming the
    field, together with every other field's errors (a request with a bad day and a bad
    id hears of both). A model validator, not a field validator: pydantic allows no
    ``before`` validator on the discriminator field of a tagged union (a case step's
    ``step``)."""
    # ninja hands query filters and nested objects over wrapped in a ``DjangoGetter``.
    data = value._obj if isinstance(value, DjangoGetter) else value
    if not isinstance(data, dict):
        return handler(value)
    details: list[InitErrorDetails] = []
    for name, field in cls.model_fields.items():
        key = field.alias if field.alias in data else name
        problem = exact_type_problem(field.annotation, data[key]) if key in data else None
        if problem:
            error = PydanticCustomError("exact_type", problem)
            details.append(InitErrorDetails(type=error, loc=(key,), input=data[key]))
    if not details:
        return handler(value)
    refused = {detail["loc"][0] for detail in details}
    try:
        handler({k: v for k, v in data.items() if k not in refused})
    except ValidationError as exc:
        for error in exc.errors():
            if error["loc"][:1] and error["loc"][0] in refused:
                continue  # "missing": the field left out above
            details.append(
                InitErrorDetails(
                    type=PydanticCustomError(
                        error["type"],
                        error["msg"],
                        # the bound, for the translated message (``api_messages``)
                        {
                            k: v
                            for k, v in (error.get("ctx") or {}).items()
                            if isinstance(v, (int, float, str))
                        },
                    ),
                    loc=error["loc"],
                    input=error.get("input"),
                )
            )
    # pydantic-core keeps these errors' locations (``body.on``).
    raise ValidationError.from_exception_data(cls.__name__, details)


class InputSchema(Schema):
    """A request body: ``Schema`` whose text fields refuse what is not text, which is a
    JSON object (ninja's ``Schema`` would read any value's attributes), whose days,
    numbers and booleans are what the OpenAPI document says (``exact_type_problem``),
    and which names a member it does not know instead of ignoring it (a misspelt
    ``valid_form`` would otherwise leave ``valid_from`` at its default, silently)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _refuse_non_object_and_coercion(cls, value: Any, handler: Any) -> Any:
        # Any other JSON value; ninja hands nested objects over wrapped.
        data = value._obj if isinstance(value, DjangoGetter) else value
        if data is None or isinstance(data, list | str | int | float):
            raise PydanticCustomError("json_object", str(_("Give a JSON object.")))
        return _exact(cls, value, handler)

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_bad_text(cls, value: Any) -> Any:
        return _check(value)


class InputFilter(FilterSchema):
    """Query filters: ``FilterSchema`` whose text fields refuse what is not text and
    whose days are ``YYYY-MM-DD`` (``exact_type_problem``)."""

    @model_validator(mode="wrap")
    @classmethod
    def _refuse_coercion(cls, value: Any, handler: Any) -> Any:
        return _exact(cls, value, handler)

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_bad_text(cls, value: Any) -> Any:
        return _check(value)
