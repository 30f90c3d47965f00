from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("organs/", views.organ_list, name="organ_list"),
    path("organs/<int:organ_id>/", views.organ_detail, name="organ_detail"),
    path("regions/", views.region_list, name="region_list"),
]
