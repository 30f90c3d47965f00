from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    # Public (no login): only published decisions, redacted.
    path("decisions/", views.decision_list, name="public_list"),
    path("decisions/<int:pk>/", views.decision_page, name="public_decision"),
    path("decisions/<int:pk>/document.pdf", views.decision_pdf, name="public_pdf"),
    # The organ's pages.
    path("disclosure/", views.organ_list, name="organ_list"),
    path("disclosure/settings/", views.organ_settings, name="organ_settings"),
    path("disclosure/export/", views.export, name="export"),
    path("disclosure/<int:pk>/", views.organ_detail, name="organ_detail"),
    path("disclosure/<int:pk>/approve/", views.approve, name="approve"),
    path("disclosure/<int:pk>/reject/", views.reject, name="reject"),
    path("disclosure/<int:pk>/correct/", views.correct, name="correct"),
    path("disclosure/<int:pk>/take-down/", views.take_down, name="take_down"),
]
