from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('competitions', '0006_completion_calls_repeatable'),
    ]

    operations = [
        migrations.AddField(
            model_name='competition',
            name='annulment_ground',
            field=models.CharField(blank=True, choices=[('no_offer', 'no offer was submitted (art. 18a ust. 1 pkt 1 UDPP)'), ('none_compliant', 'no offer meets the requirements of the announcement (art. 18a ust. 1 pkt 2 UDPP)'), ('reserved', 'a ground the announcement reserved (named in the reason)')], max_length=20, verbose_name='ground of the annulment'),
        ),
    ]
