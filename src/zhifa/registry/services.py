"""State changes of the registry. Views, API, CLI and imports call these."""

from __future__ import annotations

from django.db import transaction

from .divisions import divisions
from .models import Region


@transaction.atomic
def load_regions(prefix: str = "") -> int:
    """Create or update the current divisions under ``prefix``; returns how many
    rows were created or changed."""
    changed = 0
    by_code = {r.code: r for r in Region.objects.all()}
    for division in divisions(prefix):
        parent = by_code.get(division.parent_code) if division.parent_code else None
        region = by_code.get(division.code)
        if region is None:
            region = Region(code=division.code)
        elif (region.name, region.level, region.parent_id) == (
            division.name,
            division.level,
            parent.pk if parent else None,
        ):
            continue
        region.name = division.name
        region.level = division.level
        region.parent = parent
        region.save()
        by_code[region.code] = region
        changed += 1
    return changed
