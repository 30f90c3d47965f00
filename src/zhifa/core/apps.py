from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhifa.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib import admin

        admin.site.site_header = _("Zhifa administration")
        admin.site.site_title = _("Zhifa administration")
        admin.site.index_title = _("Regions, organs, users and configuration")
