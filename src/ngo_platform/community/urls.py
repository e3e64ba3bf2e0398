from django.urls import path

from ngo_platform.community import views
from ngo_platform.community.feeds import NewsAtomFeed, NewsFeed

app_name = "community"
urlpatterns = [
    path("aktualnosci/", views.news_list, name="news_list"),
    path("aktualnosci/rss/", NewsFeed(), name="news_rss"),
    path("aktualnosci/atom/", NewsAtomFeed(), name="news_atom"),
    path("aktualnosci/nowa/", views.news_create, name="news_create"),
    path("aktualnosci/<int:pk>/", views.news_detail, name="news_detail"),
    path("aktualnosci/<int:pk>/edytuj/", views.news_edit, name="news_edit"),
    path("aktualnosci/<int:pk>/krok/<slug:step>/", views.news_step, name="news_step"),
    path("aktualnosci/<int:pk>/obraz/", views.news_image, name="news_image"),
    path("aktualnosci/<int:pk>/zalaczniki/", views.news_attach, name="news_attach"),
    path("aktualnosci/<int:pk>/zalaczniki/<int:attachment_id>/", views.news_attachment, name="news_attachment"),
    path("aktualnosci/<int:pk>/zalaczniki/<int:attachment_id>/usun/", views.news_detach, name="news_detach"),
    path("wydarzenia/", views.event_list, name="event_list"),
    path("wydarzenia/miesiac/", views.event_month, name="event_month"),
    path("wydarzenia/kalendarz.ics", views.event_calendar, name="event_calendar"),
    path("wydarzenia/nowe/", views.event_create, name="event_create"),
    path("wydarzenia/<int:pk>/", views.event_detail, name="event_detail"),
    path("wydarzenia/<int:pk>/kalendarz.ics", views.event_calendar, name="event_ics"),
    path("wydarzenia/<int:pk>/edytuj/", views.event_edit, name="event_edit"),
    path("wydarzenia/<int:pk>/krok/<slug:step>/", views.event_step, name="event_step"),
    path("wydarzenia/<int:pk>/zapisz/", views.event_register, name="event_register"),
    path("wydarzenia/<int:pk>/wypisz/", views.event_unregister, name="event_unregister"),
    path("wydarzenia/<int:pk>/uczestnicy/", views.event_registrations, name="event_registrations"),
    path("pomysly/", views.idea_list, name="idea_list"),
    path("pomysly/pomysly.csv", views.idea_export, name="idea_export"),
    path("pomysly/nowy/", views.idea_create, name="idea_create"),
    path("pomysly/<int:pk>/", views.idea_detail, name="idea_detail"),
    path("pomysly/<int:pk>/poparcie/", views.idea_support, name="idea_support"),
    path("pomysly/<int:pk>/odpowiedz/", views.idea_answer, name="idea_answer"),
]
