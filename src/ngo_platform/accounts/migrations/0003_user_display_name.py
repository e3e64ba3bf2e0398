"""People get a display name (shown instead of their e-mail address) and an optional public title.

Existing rows take their full name, else the part of their e-mail address before the @.
"""

from django.db import migrations, models


def fill_display_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(display_name="").only("pk", "email", "full_name").iterator():
        name = (user.full_name or "").strip() or user.email.split("@", 1)[0]
        User.objects.filter(pk=user.pk).update(display_name=name[:150], full_name=name[:150])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organisationmembership_is_public"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="display_name",
            field=models.CharField(
                default="",
                help_text="Shown to others next to your comments, offers and decisions instead of your e-mail address.",
                max_length=150,
                verbose_name="display name",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="user",
            name="public_title",
            field=models.CharField(
                blank=True,
                help_text="Optional, shown next to your name.",
                max_length=150,
                verbose_name="title or organisation",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="full_name",
            field=models.CharField(blank=True, editable=False, max_length=150, verbose_name="full name"),
        ),
        migrations.RunPython(fill_display_names, migrations.RunPython.noop),
    ]
