"""The WorkRecord model, moved here from the officers app with its table (officers.0007); its content type
follows it, so that the audit log's history of every record and the admin permissions stay attached."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="workrecord").exists():
        ContentType.objects.filter(app_label=old, model="workrecord").update(app_label=new)


def move_content_type(apps, schema_editor):
    _relabel(apps, "officers", "ledger")


def move_content_type_back(apps, schema_editor):
    _relabel(apps, "ledger", "officers")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('communities', '0003_police_call_count'),
        ('officers', '0007_move_talks_and_ledger'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='WorkRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('difficulty', '为民办实事/解决实际困难'), ('dispute', '矛盾纠纷调解'), ('case', '治安案件查处'), ('patrol', '治安巡逻'), ('hazard', '隐患排查'), ('visit', '入户走访（敲门行动）'), ('publicity', '政策宣传'), ('poverty_watch', '防返贫监测排查'), ('aid', '帮扶慰问')], max_length=20, verbose_name='工作类型')),
                        ('occurred_on', models.DateField(verbose_name='日期')),
                        ('summary', models.TextField(max_length=2000, verbose_name='工作内容')),
                        ('people_reached', models.PositiveIntegerField(blank=True, null=True, verbose_name='涉及人数')),
                        ('households_reached', models.PositiveIntegerField(blank=True, null=True, verbose_name='涉及户数')),
                        ('value_recovered', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='挽回损失（元）')),
                        ('severity', models.CharField(blank=True, choices=[('blue', '蓝色（一般）'), ('yellow', '黄色（较大）'), ('red', '红色（重大）')], max_length=10, verbose_name='纠纷等级')),
                        ('outcome', models.CharField(blank=True, choices=[('resolved', '调解成功'), ('unresolved', '调解未成功'), ('referred', '移交有关部门')], max_length=20, verbose_name='调解结果')),
                        ('case_number', models.CharField(blank=True, max_length=40, verbose_name='案件编号')),
                        ('aid_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='慰问金额（元）')),
                        ('status', models.CharField(choices=[('in_progress', '办理中'), ('done', '已办结')], default='done', max_length=20, verbose_name='状态')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='录入时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='work_records', to='communities.community', verbose_name='社区')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人')),
                        ('officer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='work_records', to='officers.officer', verbose_name='民警')),
                    ],
                    options={
                        'verbose_name': '工作台账记录',
                        'verbose_name_plural': '工作台账',
                        'ordering': ['-occurred_on', '-id'],
                        'indexes': [models.Index(fields=['occurred_on', 'kind'], name='work_record_date_kind_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('kind', 'dispute'), ('severity__in', ['blue', 'yellow', 'red'])), models.Q(models.Q(('kind', 'dispute'), _negated=True), ('severity', '')), _connector='OR'), name='work_record_dispute_has_severity', violation_error_message='矛盾纠纷调解须选择纠纷等级（蓝、黄、红），其他类型不填。'), models.CheckConstraint(condition=models.Q(('outcome', ''), ('kind', 'dispute'), _connector='OR'), name='work_record_outcome_only_for_disputes', violation_error_message='只有矛盾纠纷调解填写调解结果。'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'dispute'), ('status', 'done'), _negated=True), models.Q(('outcome', ''), _negated=True), _connector='OR'), name='work_record_done_dispute_has_outcome', violation_error_message='已办结的矛盾纠纷须填写调解结果。'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'case'), models.Q(('case_number', ''), _negated=True)), models.Q(models.Q(('kind', 'case'), _negated=True), ('case_number', '')), _connector='OR'), name='work_record_case_has_number', violation_error_message='治安案件查处须填写案件编号，其他类型不填。'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'aid'), ('aid_amount__isnull', False), ('aid_amount__gte', 0)), models.Q(models.Q(('kind', 'aid'), _negated=True), ('aid_amount__isnull', True)), _connector='OR'), name='work_record_aid_has_amount', violation_error_message='帮扶慰问须填写慰问金额（不小于0元），其他类型不填。'), models.CheckConstraint(condition=models.Q(('value_recovered__isnull', True), ('value_recovered__gte', 0), _connector='OR'), name='work_record_value_recovered_not_negative', violation_error_message='挽回损失不能为负数。')],
                    },
                ),
    
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
