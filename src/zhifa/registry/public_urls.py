"""Public pages (no login): certificate verification and clean-up notices."""

from django.urls import path

from . import views

urlpatterns = [
    path("verify/<str:number>", views.verify, name="verify"),
    path("verify/<str:number>/qr.svg", views.verify_qr, name="verify_qr"),
    path("notices/cleanup/", views.cleanup_notices, name="cleanup_notices"),
]
