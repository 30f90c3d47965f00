from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("work/", views.home, name="home"),
    # The administration site's page of background work (before ``admin/``'s own URLs).
    path("admin/background/", views.background_page, name="background"),
    path("admin/background/<str:job>/run/", views.background_run, name="background_run"),
]
