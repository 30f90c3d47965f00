from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("case/<int:pk>/<slug:kind>/issue/", views.issue, name="issue"),
    path("case/<int:pk>/<int:document_id>.pdf", views.document_file, name="file"),
]
