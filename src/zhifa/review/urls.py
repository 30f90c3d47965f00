from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("submit/<int:case_pk>/", views.submit, name="submit"),
]
