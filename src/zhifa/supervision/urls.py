from django.urls import path

from . import bulk_views, case_audit, filing_views, notice_views, remedy_views, views

app_name = "supervision"

urlpatterns = [
    path("warnings/", views.warning_list, name="warning_list"),
    path("interference/", views.interference_list, name="interference_list"),
    path("interference/<int:pk>/", views.interference_detail, name="interference_detail"),
    path(
        "interference/<int:pk>/acknowledge/",
        views.interference_acknowledge,
        name="interference_acknowledge",
    ),
    path(
        "interference/<int:pk>/attachment/",
        views.interference_attachment,
        name="interference_attachment",
    ),
    path(
        "cases/<int:case_pk>/interference/new/",
        views.interference_add,
        name="interference_add",
    ),
    path("cases/<int:pk>/audit/", case_audit.case_audit, name="case_audit"),
    path("filings/", filing_views.filing_list, name="filing_list"),
    path("filings/cases/<int:pk>/", filing_views.file_major, name="file_major"),
    path(
        "filings/quarters/<int:organ>/<int:year>/<int:quarter>/",
        filing_views.file_quarter,
        name="file_quarter",
    ),
    path(
        "filings/quarters/<int:organ>/<int:year>/<int:quarter>.xlsx",
        filing_views.quarter_catalogue,
        name="quarter_catalogue",
    ),
    path("remedies/", remedy_views.remedy_list, name="remedy_list"),
    path("remedies.xlsx", remedy_views.remedy_excel, name="remedy_excel"),
    path("bulk-audits/", bulk_views.bulk_audit_list, name="bulk_audit_list"),
    path("bulk-audits/<int:pk>/", bulk_views.bulk_audit_detail, name="bulk_audit_detail"),
    path(
        "bulk-audits/<int:pk>/files/<int:index>/",
        bulk_views.bulk_audit_file,
        name="bulk_audit_file",
    ),
    path("bulk-audits/<int:pk>.xlsx", bulk_views.bulk_audit_excel, name="bulk_audit_excel"),
    path("bulk-audits/<int:pk>/resume/", bulk_views.bulk_audit_resume, name="bulk_audit_resume"),
    path("notices/", notice_views.notice_list, name="notice_list"),
    path("notices/new/", notice_views.notice_new, name="notice_new"),
    path("notices/<int:pk>/", notice_views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/document/", notice_views.notice_document, name="notice_document"),
    path("notices/<int:pk>/reply/", notice_views.notice_reply, name="notice_reply"),
    path("notices/<int:pk>/accept/", notice_views.notice_accept, name="notice_accept"),
    path("notices/<int:pk>/return/", notice_views.notice_return, name="notice_return"),
    path(
        "notices/<int:pk>/replies/<int:attempt>/document/",
        notice_views.reply_document,
        name="notice_reply_document",
    ),
    path(
        "notices/<int:pk>/replies/<int:attempt>/files/<int:index>/",
        notice_views.reply_attachment,
        name="notice_reply_attachment",
    ),
]
