"""`manage.py api_token create EMAIL --name NAME [--write] [--days N]`: print a new API token once.

The token is stored hashed: it cannot be shown again. Revoke it on the security page.
"""

from django.core.management.base import BaseCommand, CommandError

from athletes.models import User

from ...services import DEFAULT_DAYS, TokenError, token_create


class Command(BaseCommand):
    help = "Make an API token for a user and print it once (stored hashed). Read only unless --write."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a token and print it")
        create.add_argument("email")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument("--write", action="store_true", help="read and write (default: read only)")
        create.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"days until it expires (default {DEFAULT_DAYS})")

    def handle(self, *args, action, email, name, write, days, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the email {email}.")
        try:
            row, token = token_create(user=user, name=name, write=write, days=days)
        except TokenError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(f"{row.scope_label} token “{row.name}” for {user.email}, expires {row.expiry:%Y-%m-%d}. "
                          "It is shown only now:")
        self.stdout.write(token)
