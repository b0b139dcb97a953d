"""Drop the single-column indexes of Label.sample and Label.labelset: `unique_label` (sample, labelset) and
the (labelset, label_status) index lead with those columns, and every index is one more write per label save.

Only the indexes are dropped. Django's own AlterField would also drop and re-add both foreign keys, which
re-checks every label row under lock on a large table."""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "datasets_label_labelset_id_3cc29892": "labelset_id",
    "datasets_label_sample_id_bf18e656": "sample_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("datasets", "0002_label_interpolated_from"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "datasets_label" ("{column}")',
                )
                for name, column in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="label",
                    name="labelset",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="labels",
                        to="datasets.labelset",
                    ),
                ),
                migrations.AlterField(
                    model_name="label",
                    name="sample",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="labels",
                        to="datasets.sample",
                    ),
                ),
            ],
        ),
    ]
