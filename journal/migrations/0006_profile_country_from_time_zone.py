"""Give every profile without a country the country of its time zone.

Red flags give the emergency and crisis numbers of the patient's country; a patient who
signed up before Sidelog asked gets the country their time zone lies in, which they can
change in settings. Read from the IANA database's zone.tab, as shipped with tzdata.
"""

from importlib import resources

from django.db import migrations


def _zone_countries():
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    countries = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone, *_ = line.split("\t")
            countries[zone] = code
    return countries


def forwards(apps, schema_editor):
    Profile = apps.get_model("journal", "Profile")
    countries = _zone_countries()
    for profile in Profile.objects.using(schema_editor.connection.alias).filter(country=""):
        code = countries.get(profile.time_zone, "")
        if code:
            profile.country = code
            profile.save(update_fields=["country"])


class Migration(migrations.Migration):
    dependencies = [("journal", "0005_country_danger_signs_matched_symptom")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
