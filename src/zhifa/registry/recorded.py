"""The registry's recorded objects: how ``records verify`` reads an organ, an officer, a
certificate and an entrustment in the form their entries recorded them
(:class:`zhifa.records.domain.RecordedObject`, registered in ``RegistryConfig.ready``).

An officer flag (JL-evaluation: to be removed from posts or his qualification cancelled)
is compared with the entry that raised it and the one that carried it out, in the chain
of the officer's organ at the time (``shared``: an officer who moved is flagged in one
chain and the flag carried out in another, whose later entry then has the last word:
``officer.transfer_in`` hands his flags over to the new organ's chain, as his
certificates).

Not compared: an officer's ID number (never recorded, only that it changed), training
and exam records (recorded once, no update service; their entries name the officer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from zhifa.records.domain import ManyField, RecordedObject, changes_of, snapshot_of

from .services import (
    CERTIFICATE_RECORDED_FIELDS,
    ENTRUSTMENT_FIELDS,
    FLAG_ACTION,
    FLAG_CARRIED_OUT_ACTION,
    FLAG_RECORDED_FIELDS,
    OFFICER_RECORDED_FIELDS,
    STATUS_ACTIONS,
    SUBJECT_RECORDED_FIELDS,
)

Values = Iterator[tuple[str, dict[str, Any]]]


def _certificate_issued(object_id: str, body: Mapping[str, Any]) -> Values:
    yield (
        object_id,
        {
            "officer": body.get("officer"),
            "number": body.get("number"),
            "issuing_authority": body.get("issuing_authority"),
            "valid_from": body.get("valid_from"),
            "valid_to": body.get("valid_to"),
            "status": body.get("new_status"),
            # Issued with no reason on the row (the entry's reason is the notice's).
            "status_reason": "",
            "status_changed_on": body.get("effective_on"),
        },
    )


def _certificate_status(object_id: str, body: Mapping[str, Any]) -> Values:
    yield (
        object_id,
        {
            "status": body.get("new_status"),
            "status_reason": body.get("reason"),
            "status_changed_on": body.get("effective_on"),
        },
    )


def _expired_certificates(object_id: str, body: Mapping[str, Any]) -> Values:
    for item in body.get("certificates") or ():
        yield (
            str(item.get("certificate")),
            {
                "status": item.get("new_status"),
                "status_reason": item.get("reason"),
                "status_changed_on": item.get("effective_on"),
            },
        )


def _handed_over(items: str, key: str) -> Callable[[str, Mapping[str, Any]], Values]:
    """The reader of ``officer.transfer_in``'s ``items`` (his certificates, his flags) as
    they were when he joined this organ, each named by its ``key`` (entries written
    before the transfer recorded them hold none)."""

    def read(object_id: str, body: Mapping[str, Any]) -> Values:
        for item in body.get(items) or ():
            if isinstance(item, Mapping):
                yield str(item.get(key)), {k: v for k, v in item.items() if k != key}

    return read


def _entrustment_created(object_id: str, body: Mapping[str, Any]) -> Values:
    # The service creates every entrustment in force, with no status change yet.
    yield object_id, {**body, "status": "active", "status_changed_on": None}


def _entrustment_terminated(object_id: str, body: Mapping[str, Any]) -> Values:
    yield (
        object_id,
        {"status": body.get("new_status"), "status_changed_on": body.get("effective_on")},
    )


def _expired_entrustments(object_id: str, body: Mapping[str, Any]) -> Values:
    for item in body.get("entrustments") or ():
        yield (
            str(item.get("entrustment")),
            {"status": item.get("new_status"), "status_changed_on": item.get("effective_on")},
        )


def _power_item_codes(objects: QuerySet[Any]) -> Iterator[tuple[Any, Any]]:
    rows = objects.order_by().values_list("pk", "power_items__code")
    for pk, code in rows.iterator():
        if code is not None:
            yield pk, code


def _officer_left(
    object_id: str, body: Mapping[str, Any], pk: str, values: Mapping[str, Any]
) -> bool:
    return pk == object_id


def _officers_certificate_left(
    object_id: str, body: Mapping[str, Any], pk: str, values: Mapping[str, Any]
) -> bool:
    # An officer moved to another organ: that organ's chain records the certificate's
    # later changes (and the expiry task's).
    return str(values.get("officer")) == object_id


def _flag_carried_out(object_id: str, body: Mapping[str, Any]) -> Values:
    yield (
        object_id,
        {
            "status": body.get("status"),
            "measure": body.get("measure"),
            "carried_out_on": body.get("effective_on"),
            "note": body.get("note"),
        },
    )


def recorded_objects() -> list[RecordedObject]:
    subject_fields = {name: name for name in SUBJECT_RECORDED_FIELDS}
    subject_fields["region"] = "region__code"  # recorded as the region's code
    return [
        RecordedObject(
            object_type="registry.enforcementsubject",
            model="registry.EnforcementSubject",
            noun="organ",
            creates={"subject.create": snapshot_of},
            updates={"subject.update": changes_of},
            fields=subject_fields,
            describe="the organ's {field}",
        ),
        RecordedObject(
            object_type="registry.officer",
            model="registry.Officer",
            noun="officer",
            creates={"officer.create": snapshot_of, "officer.transfer_in": snapshot_of},
            updates={"officer.update": changes_of},
            # The ID number is recorded only as changed, never its value.
            fields={n: n for n in OFFICER_RECORDED_FIELDS if n != "id_number"},
            ends={"officer.transfer_out": _officer_left},
        ),
        RecordedObject(
            object_type="registry.certificate",
            model="registry.Certificate",
            noun="certificate",
            creates={"certificate.issue": _certificate_issued},
            updates={
                **dict.fromkeys(STATUS_ACTIONS.values(), _certificate_status),
                "registry.expire": _expired_certificates,
            },
            fields={n: n for n in CERTIFICATE_RECORDED_FIELDS},
            title="number",
            handovers={"officer.transfer_in": _handed_over("certificates", "certificate")},
            ends={"officer.transfer_out": _officers_certificate_left},
        ),
        RecordedObject(
            object_type="registry.entrustment",
            model="registry.Entrustment",
            noun="entrustment",
            creates={"entrustment.create": _entrustment_created},
            updates={
                "entrustment.update": changes_of,
                "entrustment.terminate": _entrustment_terminated,
                "registry.expire": _expired_entrustments,
            },
            fields={
                n: n for n in (*ENTRUSTMENT_FIELDS, "entrusted", "status", "status_changed_on")
            },
            many={"power_items": ManyField(_power_item_codes, sorted)},
            title="entrusted__name",
        ),
        RecordedObject(
            object_type="registry.officerflag",
            model="registry.OfficerFlag",
            noun="officer flag",
            creates={FLAG_ACTION: snapshot_of},
            updates={FLAG_CARRIED_OUT_ACTION: _flag_carried_out},
            fields={n: n for n in FLAG_RECORDED_FIELDS},
            title="officer__name",
            handovers={"officer.transfer_in": _handed_over("flags", "flag")},
            shared=True,
        ),
    ]
