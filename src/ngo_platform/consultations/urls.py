from django.urls import path

from ngo_platform.consultations import views

app_name = "consultations"
urlpatterns: list = []
