from django.urls import path

from ngo_platform.forum import views

app_name = "forum"
urlpatterns = [
    path("", views.index, name="index"),
    path("moderacja/", views.queue, name="queue"),
    path("kategorie/<slug:slug>/", views.category, name="category"),
    path("kategorie/<slug:slug>/nowy-watek/", views.thread_new, name="thread_new"),
    path("watki/<int:pk>/", views.thread, name="thread"),
    path("watki/<int:pk>/odpowiedz/", views.reply, name="reply"),
    path("watki/<int:pk>/moderuj/", views.thread_moderate, name="thread_moderate"),
    path("wpisy/<int:pk>/", views.post, name="post"),
    path("wpisy/<int:pk>/edytuj/", views.post_edit, name="post_edit"),
    path("wpisy/<int:pk>/zglos/", views.post_report, name="post_report"),
    path("wpisy/<int:pk>/moderuj/", views.post_moderate, name="post_moderate"),
]
