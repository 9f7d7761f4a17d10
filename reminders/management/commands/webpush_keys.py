"""Print a new VAPID key pair for Web Push, or (--ensure FILE) write one to FILE unless push keys
are set already: `make run` does that, so push works on a fresh clone (README, "Push notifications")."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from reminders import push


class Command(BaseCommand):
    help = "Print a new VAPID key pair for Web Push (WEBPUSH_VAPID_PUBLIC_KEY and WEBPUSH_VAPID_PRIVATE_KEY)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--ensure", metavar="FILE",
            help="Write a pair to FILE (git-ignored, e.g. var/webpush-keys.env) unless keys are set or FILE exists.",
        )

    def handle(self, *args, ensure=None, **options):
        if ensure:
            target = Path(ensure)
            if push.enabled() or target.exists():
                self.stdout.write("Web Push keys are set." if push.enabled() else f"Web Push keys are in {target}.")
                return
        public, private = push.generate_keys()
        text = f"WEBPUSH_VAPID_PUBLIC_KEY={public}\nWEBPUSH_VAPID_PRIVATE_KEY={private}\n"
        if not ensure:
            self.stdout.write(text, ending="")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch(mode=0o600)
        target.write_text(f"# Web Push keys for this machine only, made by `make run` (manage.py webpush_keys).\n{text}")
        self.stdout.write(f"Made Web Push keys for this machine in {target} (contact: {settings.WEBPUSH_CONTACT}).")
