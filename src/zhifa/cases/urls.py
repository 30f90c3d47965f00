from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_open, name="open"),
    path("approvals/", views.approvals, name="approvals"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/suspend/", views.case_suspend, name="suspend"),
    path("<int:pk>/resume/", views.case_resume, name="resume"),
    path("<int:pk>/steps/<slug:step>/", views.step_form, name="step"),
]
