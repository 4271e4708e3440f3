"""The weights, cost table, subsidy and sharing table a new installation starts with (defaults.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from jiedao.elevators.defaults import install as install_defaults

    install_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("elevators", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
