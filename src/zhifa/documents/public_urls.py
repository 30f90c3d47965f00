"""Public pages (no login): the verification page of an issued document."""

from django.urls import path

from . import views

urlpatterns = [
    path("d/<str:code>", views.public, name="document_public"),
]
