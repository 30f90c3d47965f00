from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("organs/", views.organ_list, name="organ_list"),
    path("organs/new/", views.organ_create, name="organ_create"),
    path("organs/<int:organ_id>/", views.organ_detail, name="organ_detail"),
    path("organs/<int:organ_id>/edit/", views.organ_edit, name="organ_edit"),
    path("regions/", views.region_list, name="region_list"),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/new/", views.officer_create, name="officer_create"),
    path("officers/<int:officer_id>/", views.officer_detail, name="officer_detail"),
    path("officers/<int:officer_id>/edit/", views.officer_edit, name="officer_edit"),
    path("officers/<int:officer_id>/training/", views.officer_training, name="officer_training"),
    path("officers/<int:officer_id>/exam/", views.officer_exam, name="officer_exam"),
    path(
        "officers/<int:officer_id>/certificates/",
        views.certificate_issue,
        name="certificate_issue",
    ),
    path(
        "certificates/<int:certificate_id>/status/",
        views.certificate_status,
        name="certificate_status",
    ),
    path(
        "certificates/<int:certificate_id>/card/",
        views.certificate_card,
        name="certificate_card",
    ),
    path("flags/<int:flag_id>/carry-out/", views.officer_flag, name="officer_flag"),
    path("entrustments/", views.entrustment_list, name="entrustment_list"),
    path("entrustments/new/", views.entrustment_create, name="entrustment_create"),
    path(
        "entrustments/<int:entrustment_id>/",
        views.entrustment_detail,
        name="entrustment_detail",
    ),
    path(
        "entrustments/<int:entrustment_id>/edit/",
        views.entrustment_edit,
        name="entrustment_edit",
    ),
    path(
        "entrustments/<int:entrustment_id>/terminate/",
        views.entrustment_terminate,
        name="entrustment_terminate",
    ),
    path(
        "entrustments/<int:entrustment_id>/instrument/",
        views.entrustment_instrument,
        name="entrustment_instrument",
    ),
]
