"""The forum's forms: a new thread, a reply (with its quote), an edit, a report, a moderator's step, and the
thread's lock and pin. The forms people write in carry the honeypot (`core.forms.TrapMixin`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ngo_platform.core.bounds import bounded, bounded_text, limit_of, say_limits
from ngo_platform.core.forms import TrapMixin, chosen_organisation, on_behalf_field
from ngo_platform.forum.models import Post, PostReport, ReportReason, Thread

BODY_HINT = _("Markdown: *italics*, **bold**, lists, links; HTML is shown as text.")


def _body_field():
    return bounded_text(Post, "body", rows=8, label=_("Text"), help_text=BODY_HINT)


class _OnBehalf(TrapMixin, forms.Form):
    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        if organisations:
            self.fields["on_behalf"] = on_behalf_field(organisations, _("Written by"))
            self.order_fields([name for name in self.fields if name != "strona_www"] + ["strona_www"])
        say_limits(self)

    def clean(self):
        cleaned = super().clean()
        cleaned["organisation"] = chosen_organisation(self.organisations, cleaned)
        return cleaned


class ThreadForm(_OnBehalf):
    title = bounded(limit_of(Thread, "title"), label=_("Title"))
    body = _body_field()


class ReplyForm(_OnBehalf):
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    body = _body_field()


class PostEditForm(TrapMixin, forms.Form):
    body = _body_field()


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with the post?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    comment = bounded_text(
        PostReport,
        "comment",
        rows=3,
        required=False,
        label=_("Anything the moderators should know"),
    )


class ModerationForm(forms.Form):
    step = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = bounded_text(
        Post,
        "moderation_reason",
        rows=3,
        required=False,
        label=_("Reason"),
        help_text=_("Required to hide or restore: the author and whoever reported the post will read it."),
    )

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(step.name, step.label) for step in steps]


class DismissForm(forms.Form):
    reason = bounded_text(
        Post,
        "moderation_reason",
        rows=3,
        label=_("Why the post stays"),
        help_text=_("Whoever reported the post will read it."),
    )


class ThreadModerationForm(forms.Form):
    locked = forms.BooleanField(label=_("Locked: no more replies"), required=False)
    pinned = forms.BooleanField(label=_("Pinned at the top of the category"), required=False)
