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

from ninja import FilterSchema, Schema
from pydantic import BaseModel, field_validator
from pydantic_core import PydanticCustomError

from .validation import text_problems


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


class InputSchema(Schema):
    """A request body: ``Schema`` whose text fields refuse what is not text."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_bad_text(cls, value: Any) -> Any:
        return _check(value)


class InputFilter(FilterSchema):
    """Query filters: ``FilterSchema`` whose text fields refuse what is not text."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_bad_text(cls, value: Any) -> Any:
        return _check(value)
