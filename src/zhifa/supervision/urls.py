from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("warnings/", views.warning_list, name="warning_list"),
    path("interference/", views.interference_list, name="interference_list"),
    path("interference/<int:pk>/", views.interference_detail, name="interference_detail"),
    path(
        "interference/<int:pk>/acknowledge/",
        views.interference_acknowledge,
        name="interference_acknowledge",
    ),
    path(
        "interference/<int:pk>/attachment/",
        views.interference_attachment,
        name="interference_attachment",
    ),
    path(
        "cases/<int:case_pk>/interference/new/",
        views.interference_add,
        name="interference_add",
    ),
]
