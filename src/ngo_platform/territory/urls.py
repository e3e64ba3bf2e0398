from django.urls import path

from ngo_platform.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.authority_list, name="authority_list"),
    path("<slug:slug>/", views.authority_detail, name="authority_detail"),
]
