from django.urls import path

from . import views

app_name = "rules"

urlpatterns = [
    path("audit/", views.audit_page, name="audit"),
    path("audit/<uuid:pk>/", views.audit_result, name="audit-result"),
]
