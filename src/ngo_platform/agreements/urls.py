from django.urls import path

from ngo_platform.agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("moje/", views.my_agreements, name="mine"),
    path("organizacja/<slug:slug>/", views.organisation_agreements, name="organisation"),
    path("oferta/<int:offer_pk>/umowa/", views.agreement_create, name="create"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edycja/", views.agreement_edit, name="edit"),
    path("<int:pk>/umowa.docx", views.agreement_document, name="docx"),
    path("<int:pk>/kalkulacja/", views.cost_update, name="cost_update"),
    path("<int:pk>/sprawozdanie/", views.report, name="report"),
    path("<int:pk>/<slug:action>/", views.agreement_action, name="action"),
]
