from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("work/", views.home, name="home"),
]
