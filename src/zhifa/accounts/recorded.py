"""User accounts as a recorded object: how ``records verify`` reads an account's scope
(:data:`services.USER_RECORDED_FIELDS`) in the form ``user.create`` / ``user.update``
recorded it (registered in ``AccountsConfig.ready``). An account's change is recorded in
the chain of each organ concerned, so it is shared: a chain compares it only while no
other chain recorded a later, different change."""

from __future__ import annotations

from zhifa.records.domain import RecordedObject, changes_of, snapshot_of

from .services import USER_RECORDED_FIELDS


def recorded_objects() -> list[RecordedObject]:
    return [
        RecordedObject(
            object_type="accounts.user",
            model="accounts.User",
            noun="user",
            creates={"user.create": snapshot_of},
            updates={"user.update": changes_of},
            fields={n: n for n in USER_RECORDED_FIELDS},
            title="username",
            shared=True,
        )
    ]
