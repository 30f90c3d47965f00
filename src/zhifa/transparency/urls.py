from django.urls import path

from . import views

app_name = "transparency"

urlpatterns = [
    path("", views.about, name="about"),
    path("checkpoint", views.checkpoint_text, name="checkpoint"),
    path("checkpoints/<str:size>", views.checkpoint_at, name="checkpoint_at"),
    path("key", views.key_text, name="key"),
    path("verify_offline.py", views.verifier_script, name="verifier"),
    path("consistency/<str:first>/<str:second>", views.consistency, name="consistency"),
    path("entries/<str:index>", views.entry, name="entry"),
    path("entries/<str:index>/proof.json", views.entry_bundle, name="bundle"),
    path("objects/<str:source>/<str:object_id>", views.object_entry, name="object"),
]
