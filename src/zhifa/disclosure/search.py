"""Search over published decisions (issue #15 item 7): one interface, ``search(query,
filters)``, over the public text of each published decision (its number, party as
published, violation, facts in brief, basis, penalty, organ), chosen by the database:

- SQLite: an FTS5 table with the ``trigram`` tokenizer (substring search that works for
  Chinese without a segmenter), kept by the services when a decision is published and
  when it leaves (``index_publication``, ``unindex_publication``); a query shorter than
  three characters (which trigrams cannot match) falls back to a substring filter;
- PostgreSQL: the ``pg_trgm`` extension and a GIN trigram index on ``search_text``
  (migration 0002), which ``ILIKE '%…%'`` uses; a word of one or two characters (which
  trigrams cannot match: without an index it read every decision) is looked up in the
  index of the text's characters and character pairs (``disclosure_grams``, migration
  0004), which answers it exactly.

Only published decisions are searched: a withdrawn or taken-down one left the index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from .models import Publication, PublicationStatus

FTS_TABLE = "disclosure_publication_fts"
#: PostgreSQL: the function (migration 0004) that gives the characters and the pairs of
#: adjacent characters of a text, upper-cased; a GIN index is built on it.
GRAMS_FUNCTION = "disclosure_grams"


@dataclass(frozen=True)
class Filters:
    party: str = ""
    violation: str = ""
    organ: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _fts() -> bool:
    return connection.vendor == "sqlite"


def index_publication(publication: Publication) -> None:
    if _fts():
        with connection.cursor() as cursor:
            # FTS_TABLE is a constant; the values are parameters.
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [publication.pk])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (%s, %s)",  # noqa: S608
                [publication.pk, publication.search_text],
            )


def unindex_publication(publication: Publication) -> None:
    if _fts():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [publication.pk])  # noqa: S608


def _phrase(text: str) -> str:
    """An FTS5 string literal: the text as one phrase (quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


def public_decisions() -> QuerySet[Publication]:
    """Every decision the public may see: published, or published once and withdrawn or
    taken down (shown as such)."""
    return Publication.objects.filter(
        status__in=[
            PublicationStatus.PUBLISHED,
            PublicationStatus.WITHDRAWN,
            PublicationStatus.TAKEN_DOWN,
        ],
        published_on__isnull=False,
    )


def search(
    query: str, filters: Filters | None = None, *, in_order: bool = False
) -> QuerySet[Publication]:
    """The decisions matching ``query`` (every word of it, as substrings) and
    ``filters``, newest first. Without a query, party or violation: the public list
    (withdrawn and taken down ones included, shown as such); with one: the published
    ones only (what left the portal is not found by its content).

    ``in_order``: the same decisions, for reading the newest of many matches in order
    (the list's page when there are more than it counts): on PostgreSQL a short word
    is then tested as a substring only, cheap on each row read, instead of through the
    grams' index (which finds few matches fast, but is dear to compute row by row)."""
    filters = filters or Filters()
    found: QuerySet[Publication] = public_decisions()
    words = [w for w in query.split() if w][:8]
    if words or filters.party or filters.violation:
        # Only what is published now is found by its content: a decision withdrawn or
        # taken down (after credit repair) is no longer found by its party or violation.
        found = found.filter(status=PublicationStatus.PUBLISHED)
        for word in words:
            found = _matching(found, word, in_order)
    # A field filter is read through the index first (its text is in the search text),
    # then on the field itself: never a scan of every summary's JSON.
    if filters.party:
        found = _matching(found, filters.party, in_order).filter(
            summary__party__icontains=filters.party
        )
    if filters.violation:
        found = _matching(found, filters.violation, in_order).filter(
            summary__violation__icontains=filters.violation
        )
    if filters.organ is not None:
        found = found.filter(organ_id=filters.organ)
    if filters.date_from is not None:
        found = found.filter(decided_on__gte=filters.date_from)
    if filters.date_to is not None:
        found = found.filter(decided_on__lte=filters.date_to)
    return found.order_by("-published_on", "-pk")


def _matching(
    found: QuerySet[Publication], word: str, in_order: bool = False
) -> QuerySet[Publication]:
    if _fts() and len(word) >= 3:
        # The table name is a constant; the phrase is a parameter (quoted for FTS5).
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        return found.filter(pk__in=RawSQL(sql, [_phrase(word)]))  # noqa: S611
    found = found.filter(search_text__icontains=word)
    if connection.vendor == "postgresql" and len(word) < 3 and not in_order:
        # A word of one or two characters is one of the text's grams exactly when the
        # text contains it (both upper-cased, as ``icontains`` compares): the grams'
        # index finds the rows, where pg_trgm would read every one of them. The
        # substring test stays beside it: the planner, which multiplies the two
        # estimates, then reads few matches through the index, never every row in order.
        column = f"{connection.ops.quote_name(Publication._meta.db_table)}.search_text"
        sql = f"{GRAMS_FUNCTION}({column}) @> ARRAY[UPPER(%s)]"
        found = found.filter(RawSQL(sql, [word], output_field=BooleanField()))  # noqa: S611
    return found
