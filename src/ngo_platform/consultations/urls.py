from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from ngo_platform.consultations import views
from ngo_platform.consultations.feeds import ConsultationsAtomFeed, ConsultationsFeed

app_name = "consultations"
urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("rss/", ConsultationsFeed(), name="rss"),
    path("atom/", ConsultationsAtomFeed(), name="atom"),
    path("kalendarz.ics", views.calendar, name="calendar"),
    path("obserwowane/", RedirectView.as_view(url=reverse_lazy("notifications:follows"), permanent=True)),
    path("urzad/", views.officer_home, name="officer"),
    path("nowa/<slug:authority>/", views.create, name="create"),
    path("uwaga/<int:comment_id>/edytuj/", views.comment_edit, name="comment_edit"),
    path("uwaga/<int:comment_id>/wycofaj/", views.comment_withdraw, name="comment_withdraw"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/kalendarz.ics", views.calendar, name="consultation_calendar"),
    path("<int:pk>/edytuj/", views.edit, name="edit"),
    path("<int:pk>/projekt/", views.draft, name="draft"),
    path("<int:pk>/projekt/<int:unit_id>/", views.unit_correct, name="unit"),
    path("<int:pk>/pliki/", views.files, name="files"),
    path("<int:pk>/zalacznik/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/stan/<str:action>/", views.state_change, name="state"),
    path("<int:pk>/uwagi/", views.comments, name="comments"),
    path("<int:pk>/nowa-uwaga/", views.comment_create, name="comment"),
    path("<int:pk>/odpowiedzi/", views.answers, name="answers"),
    path("<int:pk>/raport/", views.report_publish, name="report_publish"),
    path("<int:pk>/raport.<str:fmt>", views.report_download, name="report"),
    path("<int:pk>/wersja-ostateczna/", views.final_version, name="final"),
    path("<int:pk>/zmiany/", views.changes, name="changes"),
    path("<int:pk>/obserwuj/", views.follow_authority, name="follow_authority"),
]
