from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("entries/", views.entry_list, name="entry_list"),
    path("timeline/<str:object_type>/<str:object_id>/", views.timeline, name="timeline"),
    path("timeline/<str:object_type>/<str:object_id>/export.zip", views.export_zip, name="export"),
    path("checkpoints.json", views.published_checkpoints, name="checkpoints"),
    path("evidence/", views.evidence_list, name="evidence_list"),
    path("evidence/new/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:evidence_id>/file", views.evidence_file, name="evidence_file"),
]
