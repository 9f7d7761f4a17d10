import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coachapp.settings")

app = Celery("coachapp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["coachapp"])

if app.conf.broker_url == "filesystem://":
    # The embedded broker keeps its messages in folders that must exist before anyone sends.
    options = app.conf.broker_transport_options
    folders = [options[key] for key in ("data_folder_in", "control_folder", "processed_folder")]
    if app.conf.result_backend.startswith("file://"):
        folders.append(app.conf.result_backend.removeprefix("file://"))
    for folder in folders:
        Path(folder).mkdir(parents=True, exist_ok=True)
