from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    # Public (no login): published statistics only.
    path("", views.public_index, name="index"),
    path("<int:year>/", views.public_year, name="year"),
    path("<int:year>/organs/<int:organ_id>/", views.public_organ, name="organ"),
    path(
        "<int:year>/organs/<int:organ_id>/<slug:key>/",
        views.public_organ_list,
        name="organ_list",
    ),
    path("<int:year>/regions/<str:code>/", views.public_region, name="region"),
    path(
        "<int:year>/regions/<str:code>/<slug:key>/",
        views.public_region_list,
        name="region_list",
    ),
    # Staff (login, scope).
    path("staff/", views.staff_home, name="staff"),
    path("staff/organs/<int:organ_id>/<int:year>/", views.staff_organ, name="staff_organ"),
    path(
        "staff/organs/<int:organ_id>/<int:year>/publish/",
        views.staff_publish,
        name="staff_publish",
    ),
    path(
        "staff/organs/<int:organ_id>/<int:year>/<slug:key>/",
        views.staff_list,
        name="staff_list",
    ),
]
