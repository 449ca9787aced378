import django.contrib.auth.validators
import survivor_portal.accounts.usernames
from django.db import migrations, models

from survivor_portal.accounts.usernames import username_key


def fill_keys(apps, schema_editor):
    """Every existing username gets its look-alike key. Two that already look alike both keep
    working (the later one's key is marked with its id); only new look-alikes are refused."""
    User = apps.get_model("accounts", "User")
    taken: set[str] = set()
    for user in User.objects.order_by("pk").only("pk", "username"):
        key = username_key(user.username)
        if key in taken:
            key = f"{key}#{user.pk}"
        taken.add(key)
        User.objects.filter(pk=user.pk).update(username_key=key)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_login_sessions'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='username_key',
            field=models.CharField(editable=False, error_messages={'unique': 'That username is taken. Try another.'}, max_length=200, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name='user',
            name='username',
            field=models.CharField(help_text='Letters, numbers and . _ - only.', max_length=40, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator(), survivor_portal.accounts.usernames.validate_one_script], verbose_name='username'),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
