"""The 部件 categories of the sensing module's devices (烟感探测器, 燃气报警器, 门禁设施), added to the default
taxonomy (cases.taxonomy) where they are missing."""

from django.db import migrations


def load(apps, schema_editor):
    from jiedao.cases.taxonomy import rows

    Category = apps.get_model("cases", "Category")
    for code, family, major, major_name, name, urgent in rows():
        Category.objects.get_or_create(
            code=code, defaults={"family": family, "major_code": major, "major_name": major_name, "name": name,
                                 "urgent": urgent},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_case_household")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
