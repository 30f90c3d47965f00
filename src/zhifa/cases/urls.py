from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_open, name="open"),
    path("approvals/", views.approvals, name="approvals"),
    path("transfers/incoming/", views.incoming, name="incoming"),
    path("transfers/<int:pk>/reply/", views.transfer_reply, name="transfer_reply"),
    path("transfers/<int:pk>/document/", views.transfer_document, name="transfer_document"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/suspend/", views.case_suspend, name="suspend"),
    path("<int:pk>/resume/", views.case_resume, name="resume"),
    path("<int:pk>/archive/", views.case_archive, name="archive"),
    path("<int:pk>/transfer/", views.case_transfer, name="transfer"),
    path("<int:pk>/steps/<slug:step>/", views.step_form, name="step"),
    path("<int:pk>/documents/<slug:kind>/issue/", views.document_issue, name="document_issue"),
    path("<int:pk>/documents/<int:document_id>.pdf", views.document_file, name="document_file"),
    path("<int:pk>/service-receipt/scans/", views.receipt_scan_add, name="receipt_scan_add"),
    path(
        "<int:pk>/service-receipt/scans/<int:scan_id>/",
        views.receipt_scan_file,
        name="receipt_scan_file",
    ),
    path("<int:pk>/dossier.pdf", views.case_dossier, name="dossier"),
]
