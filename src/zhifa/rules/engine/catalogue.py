"""The rule registry: every rule unit is one small function registered with its
catalogue ID, kind, citation and the dates it is in force (legal-rules.md).

A unit receives a ``Context`` (the case, the calendar, the parameters, the audit date)
and yields ``Finding``s, ``DeadlineItem``s or ``AmountItem``s. The audit keeps what a
unit yields only when the rule was in force on the date it judges (the step's date, or
the deadline's start).
"""

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Generic, Literal, TypeVar, overload

from .casefile import HEARING_TYPES, CaseFile, Penalty, Step, penalty_type
from .local import applicable, may_bind
from .parameters import Parameters
from .workdays import Counted, WorkCalendar

Kind = Literal["block", "warning", "deadline", "compute", "data"]
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Text:
    """A sentence in both languages of the product (findings are product output)."""

    zh: str
    en: str

    def __init__(self, zh: str, en: str) -> None:
        # Frozen: the fields are set once, here, in the instance dict (the generated
        # __init__ calls object.__setattr__ per field; findings are made by the thousand).
        self.__dict__.update(zh=zh, en=en)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    step: int | None
    message: Text
    #: the source this finding rests on, when not the rule's own citation (e.g. the local
    #: source that binds the case, or the national article of a mixed rule)
    citation: str | None = None

    def __init__(
        self,
        rule: str,
        severity: Severity,
        step: int | None,
        message: Text,
        citation: str | None = None,
    ) -> None:
        # as Text.__init__
        self.__dict__.update(
            rule=rule, severity=severity, step=step, message=message, citation=citation
        )


@dataclass(frozen=True)
class DeadlineItem:
    rule: str
    start: dt.date
    due: Counted
    done: dt.date | None

    def __init__(self, rule: str, start: dt.date, due: Counted, done: dt.date | None) -> None:
        # as Text.__init__
        state = self.__dict__
        state["rule"] = rule
        state["start"] = start
        state["due"] = due
        state["done"] = done

    def status(self, as_of: dt.date) -> str:
        if self.done is not None:
            return "met" if self.done <= self.due.due else "missed"
        return "open" if as_of <= self.due.due else "overdue"


@dataclass(frozen=True)
class AmountItem:
    rule: str
    name: str
    value: float | None

    def __init__(self, rule: str, name: str, value: float | None) -> None:
        # as Text.__init__
        self.__dict__.update(rule=rule, name=name, value=value)


Item = Finding | DeadlineItem | AmountItem

#: ``iso``'s texts by day (a few thousand days at most in a run; cleared when large)
_ISO: dict[dt.date, str] = {}


def iso(day: dt.date) -> str:
    """``day.isoformat()``, remembered: ``date.isoformat`` formats through a format
    string on every call, several times slower than a look-up; the findings and
    deadlines of every audit write the same few thousand days."""
    text = _ISO.get(day)
    if text is None:
        if len(_ISO) >= 100_000:
            _ISO.clear()
        text = _ISO[day] = day.isoformat()
    return text


#: The steps of one kind or several, with their indexes, in file order: (index, step) pairs.
Pairs = list[tuple[int, Step]]
#: The pairs of a kind without steps (shared: read only).
_NO_PAIRS: Pairs = []


class _ByKind(dict[str, Pairs]):
    """``Context.by_kind``: the steps of a kind with their indexes. Starts from every kind
    asked for so far (``_NO_STEPS``), so that a look-up is one dict subscription."""

    def __missing__(self, kind: str) -> Pairs:
        _NO_STEPS[kind] = _NO_PAIRS
        return _NO_PAIRS


#: Every kind the units have asked ``by_kind`` for, without steps (shared: read only).
_NO_STEPS: dict[str, Pairs] = {}


class _Index(dict[tuple[str, ...], Pairs]):
    """The steps by the tuple of kinds a unit asks for. Built for each single kind
    present; any other tuple is merged on its first look-up (``__missing__``) and kept.
    Starts from every single kind asked for so far (``_ABSENT``), so that asking for an
    absent kind costs one dict look-up."""

    def __missing__(self, kinds: tuple[str, ...]) -> Pairs:
        if len(kinds) == 1:
            _ABSENT[kinds] = found = _NO_PAIRS
        else:
            present = [entry for kind in set(kinds) if (entry := self.get((kind,))) is not None]
            if not present:
                found = _NO_PAIRS
            elif len(present) == 1:
                found = present[0]
            else:
                # the indexes differ, so the steps are never compared
                found = sorted([pair for entry in present for pair in entry])
        self[kinds] = found
        return found


#: Every single kind the units have asked for, without steps (shared: read only).
_ABSENT: dict[tuple[str, ...], Pairs] = {}

#: the officers and the evidence an investigation step names (``NamesTable.of``)
_OFFICERS = attrgetter("officers")
_EVIDENCE = attrgetter("evidence")


_T = TypeVar("_T")


class _lazy(Generic[_T]):
    """``functools.cached_property`` without its lock (Python 3.11 takes one on every
    first access; an audit's Context lives in one thread): computed on first access and
    stored in the instance, which later look-ups read directly."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> "_lazy[_T]": ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> "_T | _lazy[_T]":
        if instance is None:
            return self
        value = self.func(instance)
        # stored as an attribute (not through ``__dict__``, which would turn the
        # instance's inline attribute values into a dict and slow every attribute read)
        object.__setattr__(instance, self.name, value)
        return value


class Run(Sequence[tuple[int, Step]]):
    """What ``Context.before``/``after``/``between`` return: the run ``lo .. hi - 1`` of
    an index's (index, step) pairs, without copying it (a unit that only asks whether
    there is one, or for the last, costs O(1) whatever the number of steps; a slice of
    the list cost a copy of the run, which made such a look-up per step quadratic)."""

    __slots__ = ("hi", "lo", "pairs")

    def __init__(self, pairs: list[tuple[int, Step]], lo: int, hi: int) -> None:
        self.pairs = pairs
        self.lo = lo
        self.hi = hi if hi > lo else lo

    def __len__(self) -> int:
        return self.hi - self.lo

    def __bool__(self) -> bool:
        return self.hi > self.lo

    @overload
    def __getitem__(self, at: int) -> tuple[int, Step]: ...

    @overload
    def __getitem__(self, at: slice) -> list[tuple[int, Step]]: ...

    def __getitem__(self, at: int | slice) -> tuple[int, Step] | list[tuple[int, Step]]:
        if isinstance(at, slice):
            return self.pairs[self.lo : self.hi][at]
        n = self.hi - self.lo
        if at < 0:
            at += n
        if not 0 <= at < n:
            raise IndexError("Run index out of range")
        return self.pairs[self.lo + at]

    def __iter__(self) -> Iterator[tuple[int, Step]]:
        return iter(self.pairs[self.lo : self.hi])

    def __reversed__(self) -> Iterator[tuple[int, Step]]:
        return reversed(self.pairs[self.lo : self.hi])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Run):
            return list(self) == list(other)
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Run({self.pairs[self.lo : self.hi]!r})"


#: ``Context.before``/``after``/``between`` copy a run of at most this many steps
_SHORT = 16


class NamesTable:
    """The names (officer ids, evidence kinds) steps carry, by the first step index that
    names each: what a prefix union would give for every index, in linear space (a
    frozenset per step grew quadratically with steps naming new officers)."""

    __slots__ = ("at", "first", "order")

    def __init__(self, named: Iterable[tuple[int, Iterable[str]]]) -> None:
        #: each name's first step index; the names in that order, and their indexes
        self.first: dict[str, int] = {}
        self.order: list[str] = []
        self.at: list[int] = []
        first = self.first
        for i, names in named:
            for name in names:
                if name not in first:
                    first[name] = i
                    self.order.append(name)
                    self.at.append(i)

    @classmethod
    def of(
        cls, pairs: Iterable[tuple[int, Step]], names_of: Callable[[Step], Iterable[str]]
    ) -> "NamesTable":
        """``NamesTable((i, names_of(s)) for i, s in pairs)``, without the generator."""
        table = cls(())
        first, order, at = table.first, table.order, table.at
        for i, step in pairs:
            for name in names_of(step):
                if name not in first:
                    first[name] = i
                    order.append(name)
                    at.append(i)
        return table

    def before(self, index: int) -> "Names":
        """The names of the steps before ``index``."""
        return Names(self, bisect_left(self.at, index), index)


class Names(AbstractSet[str]):
    """A read-only set: the names of a ``NamesTable`` first named before ``index``
    (``count`` of them). Membership costs one dict look-up."""

    __slots__ = ("count", "index", "table")

    def __init__(self, table: NamesTable, count: int, index: int) -> None:
        self.table = table
        self.count = count
        self.index = index

    def __contains__(self, name: object) -> bool:
        at = self.table.first.get(name) if isinstance(name, str) else None
        return at is not None and at < self.index

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def __iter__(self) -> Iterator[str]:
        return iter(self.table.order[: self.count])

    @classmethod
    def _from_iterable(cls, it: Iterable[Any]) -> frozenset[Any]:
        return frozenset(it)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Names({set(self)!r})"


#: Deadlines that are the party's windows, not the organ's deadlines: APL Art. 64(1), the
#: party asks for a hearing within 5 days of the prior notice (legal-rules.md
#: APL-64-hearing-request: 5 working days after it is served). The audit reports such a
#: window that passed as ``overdue`` like any period; pages show it as a window that
#: closed, since the organ cannot miss it.
PARTY_WINDOWS = frozenset({"APL-64-hearing-request"})


@dataclass
class Context:
    case: CaseFile
    calendar: WorkCalendar
    params: Parameters
    as_of: dt.date
    # Read by most units: plain attributes, set once (``__post_init__``).
    steps: tuple[Step, ...] = field(init=False, repr=False, compare=False)
    general: bool = field(init=False, repr=False, compare=False)
    summary: bool = field(init=False, repr=False, compare=False)
    #: the steps of each kind with their indexes, in file order (``ctx.by_kind["served"]``;
    #: shared lists: do not modify); ``indexed`` for several kinds at once
    by_kind: dict[str, Pairs] = field(init=False, repr=False, compare=False)
    #: the kinds of the case's steps (which units the audit runs: ``Rule.reads``)
    kinds: frozenset[str] = field(init=False, repr=False, compare=False)
    #: the earliest and the latest day of the steps (the audit date when there is none),
    #: and whether the steps are in date order (each on or after the one before)
    first_day: dt.date = field(init=False, repr=False, compare=False)
    last_day: dt.date = field(init=False, repr=False, compare=False)
    in_date_order: bool = field(init=False, repr=False, compare=False)
    #: the decision steps that decide a penalty, with their indexes (read by most units:
    #: a plain attribute, not computed on first access, which an attribute of the class
    #: slows on every read)
    penalty_decisions: list[tuple[int, Step]] = field(init=False, repr=False, compare=False)

    def local(self, *codes: str, on: dt.date) -> list[str]:
        """Of the local sources ``codes`` (data/local_sources.toml), those that bind this
        case on ``on``: the agency lies in their area, or ``settings.local_policies``
        says the region adopted them."""
        if self._bindable.isdisjoint(codes):
            return []  # none of them can bind the case on any day (as ``applicable`` says)
        case = self.case
        return applicable(codes, case.agency.region_code, case.local_policies, on)

    @_lazy
    def _bindable(self) -> frozenset[str]:
        """The local sources that can bind the case on some day (``local.may_bind``)."""
        case = self.case
        return may_bind(case.agency.region_code, case.local_policies)

    # The steps are indexed by kind once per audit (``__post_init__``); ``before``/
    # ``after`` find their range by bisection, so a unit's look-ups cost log n, not n, and
    # an audit stays n·log n in the number of steps. The index is keyed by the tuple of
    # kinds a unit asks for: one dict look-up per call once a tuple has been seen. The
    # bisection compares (index, step) pairs with ``(index,)``: the indexes differ, so a
    # step is never compared, and ``(i,)`` sorts before the pair of step ``i``.

    def __post_init__(self) -> None:
        case = self.case
        steps = self.steps = case.steps
        procedure = case.procedure
        self.general = procedure == "general"
        self.summary = procedure == "summary"
        # one pass over the steps: the steps of each kind, and the days
        found: dict[str, Pairs] = {}
        index = self._index = _Index(_ABSENT)
        days: list[dt.date] = []
        for pair in enumerate(steps):
            step = pair[1]
            days.append(step.on)
            pairs = found.get(step.step)
            if pairs is None:
                found[step.step] = index[(step.step,)] = [pair]
            else:
                pairs.append(pair)
        by_kind = self.by_kind = _ByKind(_NO_STEPS)
        by_kind.update(found)
        self.kinds = frozenset(found)
        penalty: Pairs = []
        for pair in found.get("decision", _NO_PAIRS):
            if pair[1].outcome == "penalty":
                penalty.append(pair)
        self.penalty_decisions = penalty
        if steps:
            ordered = sorted(days)
            self.first_day, self.last_day = ordered[0], ordered[-1]
            self.in_date_order = days == ordered
        else:
            self.first_day = self.last_day = self.as_of
            self.in_date_order = True
        self._memo: dict[object, object] = {}
        self._hearing: dict[tuple[int, dt.date], tuple[tuple[Penalty, ...], bool]] = {}

    def indexed(self, *kinds: str) -> Pairs:
        """The steps of ``kinds`` with their indexes (shared: do not modify the list)."""
        return self._index[kinds]

    # A short run (at most ``_SHORT`` steps, nearly always) is returned as a list: a
    # slice of a few items costs less than a Run; a longer one as a Run, without copying.
    # A run of every step of the kinds, or of none, is the index's own list (nearly
    # always: a case has one or two steps of a kind): shared, do not modify it.

    def before(self, index: int, *kinds: str) -> Sequence[tuple[int, Step]]:
        pairs = self._index[kinds]
        if not pairs:
            return pairs
        if index < 0:
            index = max(len(self.steps) + index, 0)  # as steps[:index] reads it
        if pairs[-1][0] < index:
            return pairs
        if pairs[0][0] >= index:
            return _NO_PAIRS
        at = bisect_left(pairs, (index,))
        return pairs[:at] if at <= _SHORT else Run(pairs, 0, at)

    def after(self, index: int, *kinds: str) -> Sequence[tuple[int, Step]]:
        pairs = self._index[kinds]
        if not pairs or pairs[0][0] > index:
            return pairs
        if pairs[-1][0] <= index:
            return _NO_PAIRS
        lo = bisect_left(pairs, (index + 1,))
        return pairs[lo:] if len(pairs) - lo <= _SHORT else Run(pairs, lo, len(pairs))

    def between(self, start: int, end: int, *kinds: str) -> Sequence[tuple[int, Step]]:
        """The steps of ``kinds`` after ``start`` and before ``end`` (by index)."""
        pairs = self._index[kinds]
        if not pairs:
            return pairs
        lo = bisect_left(pairs, (start + 1,))
        hi = bisect_left(pairs, (end,))
        return pairs[lo:hi] if hi - lo <= _SHORT else Run(pairs, lo, hi)

    def first_after(self, index: int, *kinds: str) -> tuple[int, Step] | None:
        pairs = self._index[kinds]
        if not pairs or pairs[-1][0] <= index:
            return None
        if pairs[0][0] > index:
            return pairs[0]
        return pairs[bisect_left(pairs, (index + 1,))]

    def memo(self, key: object, compute: Callable[[], _T]) -> _T:
        """``compute()``, computed once per audit for ``key`` (for what several units
        derive from the same steps, e.g. the payment deadline). An exception is not
        remembered: the next caller computes (and raises) again."""
        memo = self._memo
        if key in memo:
            return memo[key]  # type: ignore[return-value]
        value = memo[key] = compute()
        return value

    def fact(self, compute: "Callable[[Context], _T]") -> _T:
        """``compute(self)``, computed once per audit (a fact several units read: the
        decision served, the payment deadline …), remembered by the function. An
        exception is not remembered."""
        memo = self._memo
        if compute in memo:
            return memo[compute]  # type: ignore[return-value]
        value = memo[compute] = compute(self)
        return value

    def earliest_before(
        self, index: int, kind: str, day: Callable[[Step], dt.date | None] = lambda s: s.on
    ) -> dt.date | None:
        """The earliest ``day(step)`` of the steps of ``kind`` before ``index`` for which
        it is not None (prefix minima computed once per audit and kind/function)."""
        key = ("earliest", kind, day)
        table = self._memo.get(key)
        if table is None:
            positions: list[int] = []
            minima: list[dt.date] = []
            for i, s in self._index[(kind,)]:
                value = day(s)
                if value is None:
                    continue
                positions.append(i)
                minima.append(value if not minima or value < minima[-1] else minima[-1])
            table = self._memo[key] = (positions, minima)
        positions, minima = table  # type: ignore[misc]
        at = bisect_left(positions, index)
        return minima[at - 1] if at else None

    @_lazy
    def _investigators(self) -> NamesTable:
        """The officers named by the investigation steps, by the first that names each."""
        return NamesTable.of(self._index[("investigation",)], _OFFICERS)

    @_lazy
    def _evidence(self) -> NamesTable:
        return NamesTable.of(self._index[("investigation",)], _EVIDENCE)

    def investigators(self, before: int | None = None) -> AbstractSet[str]:
        if before is None:
            before = len(self.case.steps)
        elif before < 0:
            before = max(len(self.case.steps) + before, 0)
        return self._investigators.before(before)

    def evidence(self, before: int) -> AbstractSet[str]:
        if before < 0:
            before = max(len(self.case.steps) + before, 0)
        return self._evidence.before(before)

    @_lazy
    def _signed_waivers(self) -> list[int]:
        return [i for i, s in self._index[("waiver",)] if s.signed]

    def signed_waiver(self, start: int, end: int) -> bool:
        """A signed waiver among the steps ``start + 1 .. end - 1``."""
        n = len(self.case.steps)
        low = start + 1
        low = max(n + low, 0) if low < 0 else min(low, n)
        high = max(n + end, 0) if end < 0 else min(end, n)
        waivers = self._signed_waivers
        at = bisect_left(waivers, low)
        return at < len(waivers) and waivers[at] < high

    def hearing_threshold(self, on: dt.date) -> float:
        if self.case.party.type == "organisation":
            return self.params.number("hearing_fine_threshold_organisation", on)
        return self.params.number("hearing_fine_threshold_individual", on)

    def carries_hearing_right(self, penalties: Iterable[Penalty], on: dt.date) -> bool:
        """APL 63: a large fine or confiscation, or a penalty of a heavy kind (once per
        audit for the same penalties and day: the notice's is asked by several rules)."""
        penalties = tuple(penalties)
        key = (id(penalties), on)
        found = self._hearing.get(key)
        if found is None:
            # keyed by identity (a step's penalties are asked about by several rules); the
            # entry keeps the penalties alive, so no other tuple can take their id
            found = self._hearing[key] = (penalties, self._carries_hearing_right(penalties, on))
        return found[1]

    def _carries_hearing_right(self, penalties: tuple[Penalty, ...], on: dt.date) -> bool:
        types = set(map(penalty_type, penalties))
        if not types.isdisjoint(HEARING_TYPES):
            return True
        threshold = self.hearing_threshold(on)
        for kind in ("fine", "confiscation"):
            if kind in types:
                total = sum([p.amount or 0.0 for p in penalties if p.type == kind])
                if total >= threshold:
                    return True
        return False


Check = Callable[[Context], Iterator[Item]]


@dataclass(frozen=True)
class Rule:
    id: str
    kind: Kind
    citation: str
    summary: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    check: Check
    case_kinds: frozenset[str] = field(default_factory=lambda: frozenset({"penalty"}))
    #: local sources that are the rule's only basis: the audit keeps its findings only
    #: where one of them binds the case (Context.local); empty = a national rule
    local: tuple[str, ...] = ()
    #: the step kinds without which the unit can yield nothing (and raise nothing): the
    #: audit runs it only on a case with a step of one of them; empty = always run. Only
    #: what the unit's code makes certain (a unit that finds a step *missing* reads
    #: nothing); test_declared_reads runs every skipped unit anyway to check it.
    reads: frozenset[str] = frozenset()
    #: the procedures (the case's ``procedure``) outside which the unit yields nothing
    #: (and raises nothing): the audit runs it only on a case of one of them; empty =
    #: every case. As for ``reads``, only what the unit's code makes certain (a unit
    #: that returns at once unless ``ctx.general``); test_declared_reads checks it.
    procedures: frozenset[str] = frozenset()

    def runs_on(self, case_kind: str, step_kinds: frozenset[str], procedure: str | None) -> bool:
        """Whether the audit runs the unit on a case of ``case_kind`` and ``procedure``
        whose steps are of ``step_kinds``."""
        return (
            case_kind in self.case_kinds
            and (not self.reads or not self.reads.isdisjoint(step_kinds))
            and (not self.procedures or procedure in self.procedures)
        )

    def in_force(self, day: dt.date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to


class Registry(dict[str, Rule]):
    """``RULES``: the units by ID. Remembers which units the audit runs on a case of a
    kind with steps of given kinds (``plan``); any change of the registry forgets that."""

    def __init__(self) -> None:
        super().__init__()
        self.plans: dict[
            tuple[str, frozenset[str], frozenset[str] | None, str | None], tuple[Rule, ...]
        ] = {}

    def plan(
        self,
        case_kind: str,
        step_kinds: frozenset[str],
        local: frozenset[str] | None = None,
        procedure: str | None = None,
    ) -> tuple[Rule, ...]:
        """The units, in registration order, that run on such a case (``Rule.runs_on``);
        with ``local`` (the local sources that can bind the case: ``local.may_bind``),
        without the units whose only basis is none of them."""
        key = (case_kind, step_kinds, local, procedure)
        found = self.plans.get(key)
        if found is None:
            if len(self.plans) >= 10_000:
                self.plans.clear()
            found = self.plans[key] = tuple(
                unit
                for unit in self.values()
                if unit.runs_on(case_kind, step_kinds, procedure)
                and (local is None or not unit.local or not local.isdisjoint(unit.local))
            )
        return found

    def __setitem__(self, key: str, value: Rule) -> None:
        super().__setitem__(key, value)
        self.plans.clear()

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self.plans.clear()

    def pop(self, *args: Any) -> Any:
        self.plans.clear()
        return super().pop(*args)

    def popitem(self) -> tuple[str, Rule]:
        self.plans.clear()
        return super().popitem()

    def clear(self) -> None:
        self.plans.clear()
        super().clear()

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.plans.clear()
        super().update(*args, **kwargs)

    def setdefault(self, key: str, default: Rule) -> Rule:
        self.plans.clear()
        return super().setdefault(key, default)


RULES = Registry()


def rule(
    rule_id: str,
    kind: Kind,
    citation: str,
    summary: str,
    valid_from: str | None,
    valid_to: str | None = None,
    case_kinds: Iterable[str] = ("penalty",),
    local: Iterable[str] = (),
    reads: Iterable[str] = (),
    procedures: Iterable[str] = (),
) -> Callable[[Check], Check]:
    """Register a rule unit. ``valid_from`` is the date the cited version took effect;
    ``reads`` the step kinds without one of which it yields nothing (``Rule.reads``);
    ``procedures`` those outside which it yields nothing (``Rule.procedures``)."""

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(
            id=rule_id,
            kind=kind,
            citation=citation,
            summary=summary,
            valid_from=None if valid_from is None else dt.date.fromisoformat(valid_from),
            valid_to=None if valid_to is None else dt.date.fromisoformat(valid_to),
            check=check,
            case_kinds=frozenset(case_kinds),
            local=tuple(local),
            reads=frozenset(reads),
            procedures=frozenset(procedures),
        )
        return check

    return register


_new = object.__new__


def error(rule_id: str, step: int | None, zh: str, en: str, citation: str | None = None) -> Finding:
    """``Finding(rule_id, "error", step, Text(zh, en), citation)``, made without the two
    ``__init__`` calls (the units make several findings per audit)."""
    message = _new(Text)
    state = message.__dict__
    state["zh"] = zh
    state["en"] = en
    finding = _new(Finding)
    state = finding.__dict__
    state["rule"] = rule_id
    state["severity"] = "error"
    state["step"] = step
    state["message"] = message
    state["citation"] = citation
    return finding


def warning(
    rule_id: str, step: int | None, zh: str, en: str, citation: str | None = None
) -> Finding:
    """As ``error``, of severity ``warning``."""
    message = _new(Text)
    state = message.__dict__
    state["zh"] = zh
    state["en"] = en
    finding = _new(Finding)
    state = finding.__dict__
    state["rule"] = rule_id
    state["severity"] = "warning"
    state["step"] = step
    state["message"] = message
    state["citation"] = citation
    return finding


# Citations used by several rules (full names of the laws; legal-rules.md names the versions).
APL = "《中华人民共和国行政处罚法》"
ACL = "《中华人民共和国行政强制法》"
ARL = "《中华人民共和国行政复议法》"
ALITL = "《中华人民共和国行政诉讼法》"
GB118 = (
    "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定"
    "法制审核制度的指导意见》（国办发〔2018〕118号）"
)
JX = "《嘉兴市人民政府关于进一步规范行政执法工作的若干意见》"
JL = "《吉林省人民政府办公厅关于全面落实行政执法责任制的实施意见》（吉政办发〔2016〕91号）"
CQ = "《重庆市人民政府关于坚持以人为本创新和规范行政执法的决定》"
NA = "《南安市人民政府办公室关于进一步规范行政执法的通知》（南政办内传〔2021〕36号）"
APL_FROM = "2021-07-15"  # APL 2021 revision
ACL_FROM = "2012-01-01"
