"""The decision as DISC-redaction reads it: the structured data of the case and its
decision step turned into the engine's ``DecisionFacts`` (what is published, and every
private value the case holds that must never be), and the redacted 决定书 laid out from
the checked summary only — never from the original document or its context.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from zhifa.cases.documents import conduct, penalty_text, step_content
from zhifa.cases.models import Case, CaseStep, PartyType
from zhifa.documents import layout
from zhifa.documents.rendering import citation
from zhifa.rules.engine.publication import DecisionFacts, Leak, redaction_leaks

#: The content sections of any step that hold a place (an address, possibly a home).
PLACE_SECTIONS = ("place",)
#: Separators between a name and what follows it on a line (张三 当事人, 张三（当事人）).
_NAME_END = re.compile(r"[\s（(，,：:、/|｜]")


def _first_token(line: Any) -> str:
    text = str(line or "").strip()
    return _NAME_END.split(text, maxsplit=1)[0].strip() if text else ""


def case_private_values(case: Case, steps: Iterable[CaseStep]) -> tuple[list[str], list[str]]:
    """The addresses and the names of individuals the case holds: the places typed on
    any step (service, inquiry and inspection records, hearing), the persons served, the
    signers, witnesses, interviewees, hearing participants and speakers, and the party
    when a person. The case's own officers are left out: their names and certificate
    numbers are public (ex-ante disclosure, GB118)."""
    addresses: list[str] = []
    people: list[str] = []
    if case.party_type == PartyType.INDIVIDUAL:
        people.append(case.party_name)
    for step in steps:
        content = step_content(step)
        for key in PLACE_SECTIONS:
            if content.get(key):
                addresses.append(str(content[key]))
        for key in ("recipient", "signer"):
            if content.get(key):
                people.append(str(content[key]))
        for witness in content.get("witnesses") or []:
            if isinstance(witness, dict):
                people.append(str(witness.get("name") or ""))
        for record in content.get("records") or []:
            if isinstance(record, dict):
                addresses.append(str(record.get("place") or ""))
                people.append(_first_token(record.get("interviewee")))
        for line in content.get("participants") or []:
            people.append(_first_token(line))
        for row in content.get("transcript") or []:
            if isinstance(row, dict):
                people.append(_first_token(row.get("speaker")))
    officers = {
        (row.officer.name if row.officer is not None else row.ref).strip()
        for row in case.case_officers.select_related("officer")
    }
    shown = {case.party_name.strip()} if case.party_type != PartyType.INDIVIDUAL else set()
    people = [p.strip() for p in people if p and p.strip() not in officers | shown]
    return [a for a in addresses if a.strip()], sorted({p for p in people if p})


def decision_facts(case: Case, decision: CaseStep, facts_brief: str = "") -> DecisionFacts:
    """The engine's ``DecisionFacts`` of ``decision`` (a penalty decision step of
    ``case``): the facts in brief are the organ's public text when it wrote one, else
    the facts the decision (or the investigation) found."""
    steps = list(case.steps.order_by("index"))
    facts = facts_brief.strip()
    if not facts:
        facts = str(step_content(decision).get("facts") or "")
    if not facts:
        investigations = [
            s for s in steps if s.step == "investigation" and s.index < decision.index
        ]
        if investigations:
            facts = str(step_content(investigations[-1]).get("facts") or "")
    power = case.power_item
    violation = conduct(power.name if power is not None else str(case.power))
    addresses, people = case_private_values(case, steps)
    return DecisionFacts(
        number=decision.document_number,
        party_type=case.party_type,
        party_name=case.party_name,
        party_uscc=case.party_uscc,
        violation=violation,
        facts=facts,
        basis=citation(case.basis or {}),
        penalties=tuple(penalty_text(p) for p in (decision.data or {}).get("penalties") or []),
        organ=case.organ.name,
        decided_on=decision.on,
        id_numbers=tuple(n for n in (case.party_id_number,) if n),
        addresses=tuple(addresses),
        individuals=tuple(people),
    )


def document_blocks(summary: dict[str, str]) -> list[layout.Block]:
    """The redacted 决定书 (公开版), laid out from the checked summary alone."""
    party = f"当事人：{summary['party']}"
    blocks = [
        layout.Block("title", summary["organ"]),
        layout.Block("title", "行政处罚决定书（公开版）"),
        layout.Block("number", summary["number"]),
        layout.Block("gap"),
        layout.Block("plain", party),
    ]
    if summary.get("party_uscc"):
        blocks.append(layout.Block("plain", f"统一社会信用代码：{summary['party_uscc']}"))
    blocks += [
        layout.Block("body", f"违法行为类型：{summary['violation']}。"),
    ]
    if summary.get("facts"):
        blocks.append(layout.Block("body", f"主要违法事实：{summary['facts']}"))
    blocks += [
        layout.Block("body", f"处罚依据：{summary['basis']}。"),
        layout.Block("body", f"处罚内容：{summary['penalty']}。"),
        layout.Block("gap", lines=2),
        layout.Block("right", summary["organ"]),
        layout.Block("right", summary["decided_on"]),
        layout.Block("plain", "（本文书为依法隐去个人信息后的公开版本，不作为送达或执行的依据。）"),
    ]
    return blocks


def document_leaks(blocks: list[layout.Block], facts: DecisionFacts) -> list[Leak]:
    """DISC-redaction's check of every line of the redacted document."""
    fields = {f"document.{i + 1}": "\n".join(b.texts()) for i, b in enumerate(blocks)}
    return redaction_leaks(fields, facts)


def render_document(summary: dict[str, str]) -> bytes:
    blocks = document_blocks(summary)
    return layout.build_pdf(
        layout.Document(blocks, title="行政处罚决定书（公开版）", subject=summary["number"])
    )
