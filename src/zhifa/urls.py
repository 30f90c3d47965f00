from django.contrib import admin
from django.urls import include, path

from zhifa.core import views as core_views
from zhifa.core.api import register_routers

urlpatterns = [
    path("", include("zhifa.portal.urls")),
    path("", include("zhifa.core.urls")),
    path("accounts/", include("zhifa.accounts.urls")),
    path("registry/", include("zhifa.registry.urls")),
    path("rules/", include("zhifa.rules.urls")),
    path("records/", include("zhifa.records.urls")),
    path("catalogue/", include("zhifa.catalogue.urls")),
    path("cases/", include("zhifa.cases.urls")),
    path("review/", include("zhifa.review.urls")),
    path("transparency/", include("zhifa.transparency.urls")),
    path("statistics/", include("zhifa.statistics.urls")),
    path("supervision/", include("zhifa.supervision.urls")),
    path("supervision/dashboard/", include("zhifa.dashboard.urls")),
    path("", include("zhifa.evaluation.urls")),
    path("", include("zhifa.disclosure.urls")),
    path("", include("zhifa.complaints.urls")),
    path("", include("zhifa.accountability.urls")),
    path("party/", include("zhifa.party.urls")),
    path("", include("zhifa.documents.public_urls")),
    path("", include("zhifa.registry.public_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", register_routers().urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
]

handler400 = "zhifa.core.views.error_400"
handler403 = "zhifa.core.views.error_403"
handler404 = "zhifa.core.views.error_404"
handler500 = "zhifa.core.views.error_500"
