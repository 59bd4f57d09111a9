"""The MonthlyTalk model, moved here from the officers app with its table (officers.0007); its content type
follows it, so that the audit log's history of every record and the admin permissions stay attached."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="monthlytalk").exists():
        ContentType.objects.filter(app_label=old, model="monthlytalk").update(app_label=new)


def move_content_type(apps, schema_editor):
    _relabel(apps, "officers", "talks")


def move_content_type_back(apps, schema_editor):
    _relabel(apps, "talks", "officers")


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
                    name='MonthlyTalk',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('held_at', models.DateTimeField(db_index=True, verbose_name='谈话时间')),
                        ('place', models.CharField(max_length=100, verbose_name='谈话地点')),
                        ('talker_name', models.CharField(max_length=30, verbose_name='谈话人')),
                        ('talker_role', models.CharField(choices=[('secretary', '街道党工委书记'), ('deputy_secretary', '街道党工委副书记'), ('member', '街道党工委委员')], max_length=20, verbose_name='谈话人职务')),
                        ('topic_party_building', models.BooleanField(default=False, verbose_name='社区基层党建')),
                        ('topic_safety', models.BooleanField(default=False, verbose_name='平安建设')),
                        ('topic_stability', models.BooleanField(default=False, verbose_name='社会维稳')),
                        ('topic_public_order', models.BooleanField(default=False, verbose_name='治安防控')),
                        ('topic_other', models.BooleanField(default=False, verbose_name='其他')),
                        ('other_topic', models.CharField(blank=True, max_length=100, verbose_name='其他议题')),
                        ('content', models.TextField(verbose_name='谈话主要内容')),
                        ('officer_views', models.TextField(blank=True, verbose_name='民警思想状况及意见建议')),
                        ('follow_up', models.TextField(blank=True, verbose_name='跟进措施')),
                        ('deleted_at', models.DateTimeField(blank=True, null=True, verbose_name='删除时间')),
                        ('delete_reason', models.CharField(blank=True, max_length=200, verbose_name='删除原因')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('community', models.ForeignKey(help_text='谈话当日民警兼任副书记的社区；其所属街道即组织谈话的街道。', on_delete=django.db.models.deletion.PROTECT, related_name='talks', to='communities.community', verbose_name='兼任社区')),
                        ('deleted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='删除人')),
                        ('officer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='talks', to='officers.officer', verbose_name='谈话对象')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人')),
                    ],
                    options={
                        'verbose_name': '谈心谈话记录',
                        'verbose_name_plural': '谈心谈话记录',
                        'ordering': ['-held_at', '-id'],
                        'indexes': [models.Index(fields=['officer', 'held_at'], name='talk_officer_held_at')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('topic_party_building', True), ('topic_safety', True), ('topic_stability', True), ('topic_public_order', True), ('topic_other', True), _connector='OR'), name='talk_has_a_topic', violation_error_message='请至少选择一项谈话议题。'), models.CheckConstraint(condition=models.Q(('topic_other', False), models.Q(('other_topic', ''), _negated=True), _connector='OR'), name='talk_other_topic_named', violation_error_message='选择“其他”议题时请填写议题内容。'), models.CheckConstraint(condition=models.Q(('deleted_at__isnull', True), models.Q(('deleted_by__isnull', False), models.Q(('delete_reason', ''), _negated=True)), _connector='OR'), name='deleted_talk_has_actor_and_reason', violation_error_message='删除谈话记录须记录删除人和删除原因。')],
                    },
                ),
    
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
