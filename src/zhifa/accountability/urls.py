from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("supervision/accountability/", views.matter_list, name="list"),
    path("supervision/accountability/new/", views.matter_open, name="open"),
    path("supervision/accountability/<str:pk>/", views.matter_detail, name="detail"),
    path("supervision/accountability/<str:pk>/conclude/", views.matter_conclude, name="conclude"),
    # Public (no login): concluded matters of public organs (CQ 六(三)).
    path("public/accountability/", views.public_list, name="public_list"),
    path("public/accountability/<str:pk>/", views.public_detail, name="public_detail"),
]
