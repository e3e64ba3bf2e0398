from django.urls import path

from ngo_platform.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.follows, name="follows"),
    path("<str:label>/<int:pk>/", views.follow_item, name="follow_item"),
]
