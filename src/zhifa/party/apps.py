from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "zhifa.party"
    verbose_name = _("Party's own view")

    def ready(self) -> None:
        from zhifa.cases.documents import register_context_provider
        from zhifa.cases.policy import register_party_resolver
        from zhifa.records.presentation import register_action_labels

        from .services import ACTION_LABELS, PRINTED_ON, access_line, acts_for

        # cases imports no party code (docs/adr/0010-app-layers.md): the party's acting
        # user is recognised, and its access line printed, through cases' registries.
        register_party_resolver(acts_for)
        for kind in PRINTED_ON:
            register_context_provider(kind, access_line)
        register_action_labels(ACTION_LABELS)
