from django.urls import path

from . import views

app_name = "party"

urlpatterns = [
    path("", views.sign_in, name="sign_in"),
    path("case/", views.case, name="case"),
    path("case/statement/", views.statement, name="statement"),
    path("case/hearing/", views.hearing, name="hearing"),
    path("case/consent/", views.consent, name="consent"),
    path("case/consent/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path("case/rating/", views.rating, name="rating"),
    path("case/documents/<int:document_id>/", views.document, name="document"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("organ/cases/<int:case_pk>/code/", views.reissue, name="reissue"),
]
