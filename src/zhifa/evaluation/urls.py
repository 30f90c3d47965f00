from __future__ import annotations

from django.urls import path

from . import annual_views, public_views, views

app_name = "evaluation"

urlpatterns = [
    path("supervision/evaluation/", views.campaign_list, name="campaign_list"),
    path("supervision/evaluation/new/", views.campaign_new, name="campaign_new"),
    path("supervision/evaluation/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("supervision/evaluation/<int:pk>/publish/", views.campaign_publish, name="publish"),
    path("supervision/evaluation/<int:pk>/draw/", views.campaign_draw, name="draw"),
    path("supervision/evaluation/<int:pk>/rectify/", views.rectify, name="rectify"),
    path("supervision/evaluation/<int:pk>/results/", views.publish_results, name="publish_results"),
    path("supervision/evaluation/files/<int:pk>/", views.score_file, name="score_file"),
    path("supervision/evaluation/files/<int:pk>/assign/", views.assign_evaluator, name="assign"),
    path("supervision/evaluation/sheets/", views.sheet_list, name="sheet_list"),
    path("supervision/evaluation/sheets/<int:pk>/", views.sheet_detail, name="sheet_detail"),
    path("supervision/evaluation/annual/", annual_views.annual_page, name="annual"),
    path(
        "supervision/evaluation/annual/<int:year>/<str:kind>/<int:pk>/grade/",
        annual_views.grade,
        name="annual_grade",
    ),
    path(
        "supervision/evaluation/annual/<int:year>/publish/",
        annual_views.publish,
        name="annual_publish",
    ),
    path("evaluation/annual/indicators/", annual_views.public_indicators, name="indicators"),
    path("evaluation/annual/<int:year>/", annual_views.public_year, name="public_year"),
    path("evaluation/", public_views.campaign_list, name="public_list"),
    path("evaluation/<int:pk>/", public_views.campaign_page, name="public_campaign"),
    path("evaluation/<int:pk>/draw.json", public_views.campaign_json, name="public_json"),
    path(
        "evaluation/<int:pk>/roster/<int:position>.txt",
        public_views.roster_text,
        name="public_roster",
    ),
]
