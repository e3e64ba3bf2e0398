from django.urls import path

from ngo_platform.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("powiadomienia/", views.notifications, name="notifications"),
    path("profil/widocznosc/<int:pk>/", views.membership_publicity, name="membership_publicity"),
    path(
        "profil/widocznosc-w-urzedzie/<int:pk>/",
        views.membership_publicity,
        {"kind": "urzad"},
        name="authority_membership_publicity",
    ),
]
