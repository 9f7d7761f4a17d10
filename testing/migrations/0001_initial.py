import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The models that moved here from injuries (issue 15), by their content types' model names.
MOVED = ("testtype", "testresult")


def _move_content_types(apps, schema_editor, *, source, target):
    """Relabel the moved models' content types, so that their permissions and the admin's history
    follow them. A fresh database has none yet: post_migrate creates them after the migrations."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        if not types.filter(app_label=target, model=model).exists():
            types.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="injuries", target="testing")


def backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, source="testing", target="injuries")


class Migration(migrations.Migration):
    """TestType and TestResult, taken over from injuries with their tables as they are.

    The tables were created by injuries' migrations (0003) and are not touched: the models are
    only added to this app's state (injuries' 0007 removed them from its own), with db_table
    keeping their names.
    """

    initial = True

    dependencies = [
        ("injuries", "0007_move_tests_to_testing"),
        ("athletes", "0009_access_log_actions"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='TestType',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=80, unique=True)),
                        ('key', models.SlugField(help_text='Short name used in CSV imports, e.g. nordic. Change it with care.', max_length=30, unique=True)),
                        ('unit', models.CharField(help_text='e.g. N, °, s', max_length=12)),
                        ('description', models.CharField(blank=True, help_text='How and with what it is measured.', max_length=300)),
                        ('bilateral', models.BooleanField(default=True, help_text='Measured on each leg (left and right).')),
                        ('higher_is_better', models.BooleanField(default=True, help_text='Untick for times, where lower is better.')),
                        ('checklist_item', models.CharField(blank=True, choices=[('strength_within_10pct', 'Strength within about 10% of the other side'), ('flexibility_matches', 'Flexibility like the other side'), ('sprint_pain_free', 'Sprints at full speed without pain')], help_text='The return-to-training checklist item this test decides, if any.', max_length=30)),
                        ('asymmetry_threshold_pct', models.DecimalField(decimal_places=1, default=10, help_text='Largest left/right difference, as a % of the larger side, that still counts as met.', max_digits=4, verbose_name='asymmetry threshold (%)')),
                        ('baseline_threshold_pct', models.DecimalField(blank=True, decimal_places=1, default=10, help_text="Largest loss against the athlete's last result before the injury; empty: not checked.", max_digits=4, null=True, verbose_name='baseline threshold (%)')),
                        ('order', models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'injuries_testtype',
                        'ordering': ['order', 'name'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('asymmetry_threshold_pct__gte', 0), ('asymmetry_threshold_pct__lte', 100)), name='testtype_asymmetry_threshold_pct'), models.CheckConstraint(condition=models.Q(('baseline_threshold_pct__isnull', True), models.Q(('baseline_threshold_pct__gte', 0), ('baseline_threshold_pct__lte', 100)), _connector='OR'), name='testtype_baseline_threshold_pct')],
                    },
                ),
                migrations.CreateModel(
                    name='TestResult',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('tested_on', models.DateField()),
                        ('left', models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True)),
                        ('right', models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True)),
                        ('value', models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True)),
                        ('notes', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('athlete', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='test_results', to='athletes.athlete')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('test_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='results', to='testing.testtype')),
                    ],
                    options={
                        'db_table': 'injuries_testresult',
                        'ordering': ['tested_on', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('athlete', 'test_type', 'tested_on'), name='one_result_per_test_and_day'), models.CheckConstraint(condition=models.Q(models.Q(('left__isnull', False), ('right__isnull', False), ('value__isnull', True)), models.Q(('left__isnull', True), ('right__isnull', True), ('value__isnull', False)), _connector='OR'), name='testresult_both_legs_or_one_value'), models.CheckConstraint(condition=models.Q(models.Q(('left__isnull', True), ('left__gte', 0), _connector='OR'), models.Q(('right__isnull', True), ('right__gte', 0), _connector='OR'), models.Q(('value__isnull', True), ('value__gte', 0), _connector='OR')), name='testresult_not_negative')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
