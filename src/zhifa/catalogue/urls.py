from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("laws/", views.law_list, name="law_list"),
    path("laws/new/", views.law_create, name="law_create"),
    path("laws/<int:law_id>/", views.law_detail, name="law_detail"),
    path("laws/<int:law_id>/articles/", views.article_add, name="article_add"),
    path("articles/<int:article_id>/versions/", views.article_version, name="article_version"),
    path("articles/<int:article_id>/repeal/", views.article_repeal, name="article_repeal"),
    path("power-items/", views.power_item_list, name="power_item_list"),
    path("power-items/new/", views.power_item_create, name="power_item_create"),
    path("power-items/<int:item_id>/", views.power_item_detail, name="power_item_detail"),
    path("power-items/<int:item_id>/edit/", views.power_item_edit, name="power_item_edit"),
    path("power-items/<int:item_id>/review/", views.power_item_review, name="power_item_review"),
    path("benchmarks/", views.benchmark_list, name="benchmark_list"),
    path("benchmarks/new/", views.benchmark_create, name="benchmark_create"),
    path("benchmarks/<int:benchmark_id>/", views.benchmark_detail, name="benchmark_detail"),
    path("benchmarks/<int:benchmark_id>/edit/", views.benchmark_edit, name="benchmark_edit"),
    path("three-lists/", views.three_lists, name="three_lists"),
    path("review-catalogue/", views.review_catalogue, name="review_catalogue"),
    path("review-catalogue/new/", views.review_entry_create, name="review_entry_create"),
    path(
        "review-catalogue/<int:entry_id>/edit/", views.review_entry_edit, name="review_entry_edit"
    ),
    path("import/", views.import_page, name="import"),
    path("export/<str:kind>.<str:fmt>", views.export, name="export"),
    path("organs/<int:organ_id>/catalogue.json", views.organ_export_json, name="organ_export_json"),
]
