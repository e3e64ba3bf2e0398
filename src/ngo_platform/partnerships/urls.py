from django.urls import path

from ngo_platform.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("nowe/", views.announcement_create, name="create"),
    path("<int:pk>/", views.announcement_detail, name="detail"),
    path("<int:pk>/edytuj/", views.announcement_edit, name="edit"),
    path("<int:pk>/krok/<slug:step>/", views.announcement_step, name="step"),
    path("dla/<slug:slug>/", views.organisation_suggestions, name="for_organisation"),
]
