"""The rule units, one module per section of legal-rules.md. Importing this package
registers every unit in ``zhifa.rules.engine.catalogue.RULES``."""

from . import closure, data, decision, disclosure, execution, investigation, notice, subjects

__all__ = [
    "closure",
    "data",
    "decision",
    "disclosure",
    "execution",
    "investigation",
    "notice",
    "subjects",
]
