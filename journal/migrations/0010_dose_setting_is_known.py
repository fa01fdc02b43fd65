"""Every dose says where it was taken: a row left without a setting gets its medicine's usual
one (as `DoseEvent.save` gives), then the database refuses any other value."""

from django.conf import settings
from django.db import migrations, models

CLINIC_DRUG_SLUGS = ("ketamine", "esketamine")


def settings_filled(apps, schema_editor):
    doses = apps.get_model("journal", "DoseEvent").objects.filter(setting="")
    doses.filter(course__drug__slug__in=CLINIC_DRUG_SLUGS).update(setting="clinic")
    doses.update(setting="home")


class Migration(migrations.Migration):

    dependencies = [
        ('journal', '0009_dose_amount_and_usual_setting'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(settings_filled, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='doseevent',
            constraint=models.CheckConstraint(condition=models.Q(('setting__in', ['home', 'clinic'])), name='dose_setting_is_known'),
        ),
    ]
