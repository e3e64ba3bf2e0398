from django.urls import path

from ngo_platform.library import views
from ngo_platform.library.feeds import LibraryFeed

app_name = "library"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("rss/", LibraryFeed(), name="rss"),
    path("nowy/<slug:authority>/", views.document_add, name="add"),
    path("z-zespolu/<int:pk>/", views.publish_version, name="publish_version"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edytuj/", views.document_edit, name="edit"),
    path("<int:pk>/nowa-wersja/", views.revision_add, name="revision_add"),
    path("<int:pk>/wersje/<int:number>/<str:kind>/", views.download, name="download"),
]
