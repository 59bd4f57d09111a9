# The streets and stations have their area (0007): from now on every one must have one. A migration of its own:
# PostgreSQL does not alter a table with the data migration's foreign-key checks still pending.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('communities', '0007_area_tree'),
    ]

    operations = [
        migrations.AlterField(
            model_name='policestation',
            name='area',
            field=models.ForeignKey(help_text='派出所隶属的市、县公安局（按其市县）。', on_delete=django.db.models.deletion.PROTECT, related_name='stations', to='communities.area', verbose_name='所属公安局'),
        ),
        migrations.AlterField(
            model_name='street',
            name='area',
            field=models.ForeignKey(help_text='街道或乡镇所属的市或县。', on_delete=django.db.models.deletion.PROTECT, related_name='streets', to='communities.area', verbose_name='所属市县'),
        ),
    ]
