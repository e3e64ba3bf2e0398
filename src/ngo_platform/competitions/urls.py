from django.urls import path

from ngo_platform.competitions import views

app_name = "competitions"
urlpatterns = [
    path("", views.competition_list, name="list"),
    path("kanal.rss", views.CompetitionsFeed(), name="feed"),
    path("kalendarz.ics", views.competitions_ical, name="ical"),
    path("nowy/", views.competition_create, name="create"),
    path("moje-oferty/", views.my_offers, name="my_offers"),
    path("oferty/", views.offers_redirect),
    path("oferty/<int:pk>/", views.offer_detail, name="offer"),
    path("oferty/<int:pk>/krok/<slug:step>/", views.offer_step, name="offer_step"),
    path("oferty/<int:pk>/partnerzy/", views.offer_partners, name="offer_partners"),
    path("oferty/<int:pk>/zloz/", views.offer_submit, name="offer_submit"),
    path("oferty/<int:pk>/wycofaj/", views.offer_withdraw, name="offer_withdraw"),
    path("oferty/<int:pk>/pokwitowanie/", views.receipt, name="receipt"),
    path("oferty/<int:pk>/oferta.pdf", views.offer_pdf, name="offer_pdf"),
    path("oferty/<int:pk>/ocena-formalna/", views.formal_offer, name="formal_offer"),
    path("oferty/<int:pk>/uzupelnienie/", views.offer_complete, name="offer_complete"),
    path("oferty/<int:pk>/karta-oceny/", views.score_card, name="score_card"),
    path("oferty/<int:pk>/oceny/", views.offer_scores, name="offer_scores"),
    path("partnerstwa/<int:pk>/", views.partner_confirm, name="partner_confirm"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/kalendarz.ics", views.competition_ics, name="competition_ical"),
    path("<slug:slug>/edycja/", views.competition_edit, name="edit"),
    path("<slug:slug>/publikuj/", views.competition_publish, name="publish"),
    path("<slug:slug>/oferty/", views.competition_offers, name="competition_offers"),
    path("<slug:slug>/oferta/", views.offer_start, name="offer_start"),
    path("<slug:slug>/ocena-formalna/", views.formal_overview, name="formal_overview"),
    path("<slug:slug>/komisja/", views.commission_manage, name="commission"),
    path("<slug:slug>/ocena/", views.commission_work, name="commission_work"),
    path("<slug:slug>/ranking/", views.ranking, name="ranking"),
    path("<slug:slug>/wyniki.csv", views.results_csv, name="results_csv"),
    path("<slug:slug>/wyniki.xlsx", views.results_xlsx, name="results_xlsx"),
]
