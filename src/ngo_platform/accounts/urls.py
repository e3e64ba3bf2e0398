from django.urls import path

from ngo_platform.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("profil/widocznosc/<int:pk>/", views.membership_publicity, name="membership_publicity"),
]
