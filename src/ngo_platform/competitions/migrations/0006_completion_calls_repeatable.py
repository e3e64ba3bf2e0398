from django.conf import settings
from django.db import migrations, models


def earlier_calls(apps, schema_editor):
    """Calls made before this migration: answered ones are closed at their answer, unanswered ones of
    offers decided since at their deadline; each starts from the offer's submitted content (the only call
    an offer could have had) and the attachments it had then."""
    CompletionCall = apps.get_model("competitions", "CompletionCall")
    OfferSubmission = apps.get_model("competitions", "OfferSubmission")
    OfferAttachment = apps.get_model("competitions", "OfferAttachment")
    for call in CompletionCall.objects.select_related("offer"):
        submission = OfferSubmission.objects.filter(offer_id=call.offer_id, withdrawn_at__isnull=True).first()
        if submission is not None:
            call.content_before, call.sha256_before = submission.content, submission.sha256
        call.attachments_before = list(
            OfferAttachment.objects.filter(offer_id=call.offer_id, uploaded_at__lte=call.called_at).values_list("id", flat=True)
        )
        call.closed_at = call.answered_at or (call.deadline if call.offer.state != "to_complete" else None)
        call.save(update_fields=["content_before", "sha256_before", "attachments_before", "closed_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('competitions', '0005_offer_attachments'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='completioncall',
            name='completion_call_once_per_offer',
        ),
        migrations.AddField(
            model_name='completioncall',
            name='attachments',
            field=models.JSONField(blank=True, default=list, verbose_name='attachments to add'),
        ),
        migrations.AddField(
            model_name='completioncall',
            name='attachments_before',
            field=models.JSONField(blank=True, default=list, verbose_name='attachments at the call'),
        ),
        migrations.AddField(
            model_name='completioncall',
            name='closed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='closed'),
        ),
        migrations.AddField(
            model_name='completioncall',
            name='content_before',
            field=models.TextField(blank=True, verbose_name='canonical content at the call'),
        ),
        migrations.AddField(
            model_name='completioncall',
            name='sha256_before',
            field=models.CharField(blank=True, max_length=64, verbose_name='SHA-256 of the content at the call'),
        ),
        migrations.AlterField(
            model_name='completioncall',
            name='sections',
            field=models.JSONField(default=list, verbose_name='parts that may be corrected'),
        ),
        migrations.RunPython(earlier_calls, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='completioncall',
            constraint=models.UniqueConstraint(condition=models.Q(('closed_at__isnull', True)), fields=('offer',), name='completion_call_one_open'),
        ),
    ]
