from django.urls import path

from ngo_platform.community import views
from ngo_platform.community.feeds import NewsAtomFeed, NewsFeed

app_name = "community"
urlpatterns = [
    path("", views.news_list, name="news_list"),
    path("rss/", NewsFeed(), name="news_rss"),
    path("atom/", NewsAtomFeed(), name="news_atom"),
    path("nowa/", views.news_create, name="news_create"),
    path("<int:pk>/", views.news_detail, name="news_detail"),
    path("<int:pk>/edytuj/", views.news_edit, name="news_edit"),
    path("<int:pk>/krok/<slug:step>/", views.news_step, name="news_step"),
    path("<int:pk>/obraz/", views.news_image, name="news_image"),
    path("<int:pk>/zalaczniki/", views.news_attach, name="news_attach"),
    path("<int:pk>/zalaczniki/<int:attachment_id>/", views.news_attachment, name="news_attachment"),
    path("<int:pk>/zalaczniki/<int:attachment_id>/usun/", views.news_detach, name="news_detach"),
]
