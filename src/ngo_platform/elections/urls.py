from django.urls import path

from ngo_platform.elections import views

app_name = "elections"
urlpatterns: list = []
