"""The public portal: ``/`` and the ex-ante pages under ``/public/`` (no login)."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("public/language/", views.language, name="language"),
    path("public/verify/", views.verify, name="verify"),
    path("public/regions/<str:code>/", views.region, name="region"),
    path("public/subjects/", views.subjects, name="subjects"),
    path("public/organs/<int:pk>/", views.organ, name="organ"),
    path("public/organs/<int:pk>/officers/", views.officers, name="officers"),
    path("public/organs/<int:pk>/powers/", views.powers, name="powers"),
    path("public/organs/<int:pk>/benchmarks/", views.benchmarks, name="benchmarks"),
    path("public/organs/<int:pk>/entrustments/", views.entrustments, name="entrustments"),
    path("public/procedure/", views.procedure_chart, name="procedure"),
    path("public/remedies/", views.remedies, name="remedies"),
    path("public/inspections/", views.inspections, name="inspections"),
    path("public/warning-models/", views.warning_models, name="warning_models"),
]
