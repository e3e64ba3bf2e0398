from django.urls import path

from ngo_platform.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("eksport.<str:fmt>", views.directory_export, name="export"),
    path("<slug:slug>/", views.detail, name="detail"),
]
