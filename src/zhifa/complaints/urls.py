from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    # Public (no account): file, then follow by number and access code.
    path("complaints/file/", views.file, name="file"),
    path("complaints/file/received/<str:number>/", views.receipt, name="receipt"),
    path("complaints/follow/", views.follow, name="follow"),
    path("complaints/follow/dispute/", views.dispute, name="dispute"),
    # The receiving unit's and the supervisor's desk.
    path("complaints/desk/", views.desk, name="desk"),
    path("complaints/desk/<int:pk>/", views.detail, name="detail"),
    path("complaints/desk/<int:pk>/case/", views.enter_case, name="enter_case"),
    path(
        "complaints/desk/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("complaints/desk/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("complaints/desk/<int:pk>/merge/", views.merge, name="merge"),
    path("complaints/desk/<int:pk>/assign/", views.assign, name="assign"),
    path("complaints/desk/<int:pk>/<slug:action>/", views.act, name="act"),
]
