"""Appending to the log, the stored tree, and signed checkpoints."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from zhifa.transparency import checkpoints as cps
from zhifa.transparency import log
from zhifa.transparency.log import LogError, append
from zhifa.transparency.models import LogEntry, SignedCheckpoint, TreeNode
from zhifa.transparency.verify_offline import verify_consistency, verify_note

from .test_merkle import naive_mth

pytestmark = pytest.mark.django_db


def _append_many(source: str, n: int, start: int = 0) -> list[bytes]:
    leaves = [f"leaf {i}".encode() for i in range(start, start + n)]
    for i, leaf in enumerate(leaves, start):
        with transaction.atomic():
            append(source, str(i), leaf)
    return leaves


@pytest.mark.django_db(transaction=True)
def test_append_needs_the_callers_transaction(source):
    with pytest.raises(TransactionManagementError):
        append(source, "1", b"x")


@pytest.mark.parametrize(
    ("src", "object_id", "leaf"),
    [
        ("unknown.source", "1", b"x"),
        ("test.organ", "", b"x"),
        ("test.organ", "a b", b"x"),
        ("test.organ", "a/b", b"x"),
        ("test.organ", "1" * 65, b"x"),
        ("test.organ", "1", b""),
        ("test.organ", "1", "text"),
        ("test.organ", "1", b"x" * (64 * 1024 + 1)),
    ],
)
def test_append_refuses_what_cannot_be_logged(source, src, object_id, leaf):
    with transaction.atomic(), pytest.raises(LogError):
        append(src, object_id, leaf)
    assert not LogEntry.objects.exists()


def test_indices_and_root_follow_rfc6962(source):
    leaves = _append_many(source, 13)
    assert list(LogEntry.objects.values_list("index", flat=True)) == list(range(13))
    assert log.log_size() == 13
    for size in range(14):
        assert log.root_hash(size) == naive_mth(leaves[:size])
    # 13 leaves: 13 leaf nodes and 6 + 3 + 1 perfect subtrees above them.
    assert TreeNode.objects.count() == 13 + 6 + 3 + 1


def test_a_rolled_back_append_leaves_no_trace(source):
    _append_many(source, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        append(source, "x", b"rolled back")
        raise RuntimeError
    entry = _append_many(source, 1, start=2)
    assert log.log_size() == 3 and entry
    assert LogEntry.objects.get(index=2).object_id == "2"


def test_checkpoints_are_signed_notes_each_consistent_with_the_last(source):
    assert cps.issue_checkpoint().checkpoint is None  # nothing logged yet
    leaves = _append_many(source, 5)
    first = cps.issue_checkpoint().checkpoint
    assert first is not None and first.size == 5
    assert cps.issue_checkpoint().checkpoint is None  # unchanged: not signed again
    leaves += _append_many(source, 4, start=5)
    second = cps.issue_checkpoint().checkpoint
    assert second is not None and second.size == 9
    name, key = cps.trusted_keys()[0]
    one, two = verify_note(first.note, name, key), verify_note(second.note, name, key)
    assert one.root == naive_mth(leaves[:5]) and two.root == naive_mth(leaves)
    assert second.root_hash == two.root.hex()
    assert verify_consistency(5, 9, log.consistency_proof(5, 9), one.root, two.root)
    lines = second.note.splitlines()
    assert lines[:2] == ["zhifa.test/transparency", "9"] and lines[3] == ""
    assert lines[4].startswith("\u2014 zhifa.test/transparency ")


def test_no_checkpoint_over_a_tampered_tree(source):
    _append_many(source, 4)
    assert cps.issue_checkpoint().checkpoint is not None
    _append_many(source, 3, start=4)
    # Someone rewrites a node the last checkpoint covers (and its parents stay).
    TreeNode.objects.filter(level=1, index=0).update(hash="00" * 32)
    outcome = cps.issue_checkpoint()
    assert outcome.checkpoint is None
    assert "not consistent" in outcome.problem or "not the hash" in outcome.problem
    assert SignedCheckpoint.objects.count() == 1


def test_no_checkpoint_over_a_leaf_that_differs_from_its_node(source):
    _append_many(source, 3)
    LogEntry.objects.filter(index=1).update(leaf=b"forged")
    outcome = cps.issue_checkpoint()
    assert outcome.checkpoint is None
    assert outcome.problem == "entry 1: its leaf does not match its hash in the tree"


def test_no_checkpoint_after_a_forged_last_checkpoint(source):
    _append_many(source, 2)
    checkpoint = cps.issue_checkpoint().checkpoint
    assert checkpoint is not None
    SignedCheckpoint.objects.filter(pk=checkpoint.pk).update(
        note=checkpoint.note.replace("\n2\n", "\n1\n")
    )
    _append_many(source, 1, start=2)
    outcome = cps.issue_checkpoint()
    assert outcome.checkpoint is None and "does not verify" in outcome.problem


@pytest.mark.django_db(transaction=True)
def test_appends_queue_one_checkpoint_task_that_the_worker_runs(source, frozen_clock):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from zhifa.transparency.tasks import issue_checkpoint

    _append_many(source, 3)
    queued = DBTaskResult.objects.filter(task_path=issue_checkpoint.module_path)
    assert queued.count() == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        append(source, "x", b"rolled back")  # its queued task goes with it
        raise RuntimeError
    assert queued.count() == 1
    call_command("worker", once=True)
    done = queued.get()
    assert done.return_value == {"signed": 3, "problem": ""}
    assert SignedCheckpoint.objects.get().size == 3
