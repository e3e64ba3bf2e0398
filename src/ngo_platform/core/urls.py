from django.urls import path

from ngo_platform.core import views, views_desk

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("o-platformie/", views.about, name="about"),
    path("deklaracja-dostepnosci/", views.accessibility_statement, name="accessibility"),
    path("prywatnosc/", views.privacy, name="privacy"),
    path("wyswietlanie/", views.display_preferences, name="display_preferences"),
    path("audyt/", views.audit_log_list, name="audit_log"),
    path("moje/", views_desk.desk, name="desk"),
]
