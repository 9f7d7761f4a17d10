"""Exercise media: uploads are checked by content and size, served by the development server,
stored where the environment says, and a missing file never leaves a dead player
(docs/architecture.md#media)."""

import importlib
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, reverse

from programmes import progression as p
from programmes.library import STEPS, seed
from programmes.models import Exercise
from programmes.videos import container
from tests.factories import assigned_session

ROOT = Path(__file__).resolve().parents[2]
WEDNESDAY = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)

# The smallest files each container's sniffing accepts: an ISO base media `ftyp` box (then an empty
# `mdat`), and an EBML header whose DocType is webm.
MP4 = (24).to_bytes(4, "big") + b"ftypisom" + (512).to_bytes(4, "big") + b"isommp41" + (8).to_bytes(4, "big") + b"mdat"
WEBM = b"\x1a\x45\xdf\xa3\x8f" + b"\x42\x82\x84webm" + b"\x42\x87\x81\x04" + b"\x42\x85\x81\x02"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode." + bytes(64)
HEIC_PHOTO = (24).to_bytes(4, "big") + b"ftypheic" + bytes(4) + b"mif1heic"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _post_video(client, exercise, name, content):
    """The admin's change form for `exercise`, sent back unchanged but for a new video."""
    url = reverse("admin:programmes_exercise_change", args=[exercise.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("video", "id")}
    data["video"] = SimpleUploadedFile(name, content, content_type="video/mp4")
    return client.post(url, data)


def _errors(response):
    return " ".join(response.context["adminform"].form.errors.get("video", []))


# --- Checking uploads ------------------------------------------------------------------------------


def test_sniffing_knows_mp4_and_webm_by_their_first_bytes_and_nothing_else():
    assert container(MP4) == "mp4" and container(WEBM) == "webm"
    assert container(EXE) == container(HEIC_PHOTO) == container(b"") == container(b"ftyp" * 4) == ""
    assert container(b"\x1a\x45\xdf\xa3\x8f" + bytes(12)) == ""  # EBML that says neither webm nor matroska


def test_an_exe_renamed_mp4_is_refused_with_a_message_and_nothing_is_stored(client, world, media_root):
    client.force_login(world.admin)
    exercise = Exercise.objects.get(key="nordic_full")
    response = _post_video(client, exercise, "fake.mp4", EXE)
    assert response.status_code == 200
    assert "“fake.mp4” is not a video: its content is not MP4 or WebM" in _errors(response)
    exercise.refresh_from_db()
    assert not exercise.video and not any(media_root.rglob("*"))


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("fake.exe", EXE, "“fake.exe” is not a video file: upload an MP4 or WebM video"),
        ("clip.mp4", HEIC_PHOTO, "“clip.mp4” is not a video"),
        ("clip.mp4", WEBM, "“clip.mp4” holds a webm video but its name ends in .mp4"),
        ("clip.webm", MP4, "“clip.webm” holds a mp4 video but its name ends in .webm"),
        ("empty.mp4", b"", "The submitted file is empty."),
    ],
)
def test_a_video_must_be_what_its_name_says(client, world, media_root, name, content, problem):
    client.force_login(world.admin)
    response = _post_video(client, Exercise.objects.get(key="nordic_full"), name, content)
    assert response.status_code == 200 and problem in _errors(response)
    assert not any(media_root.rglob("*"))


def test_a_video_over_the_size_limit_is_refused_naming_both_sizes(client, world, media_root, settings):
    settings.EXERCISE_VIDEO_MAX_MB = 1
    client.force_login(world.admin)
    big = MP4 + bytes(3 * 1024 * 1024 // 2)
    response = _post_video(client, Exercise.objects.get(key="nordic_full"), "long.mp4", big)
    assert "“long.mp4” is 1.5 MB; a video may be at most 1 MB" in _errors(response)
    assert not any(media_root.rglob("*"))


@pytest.mark.parametrize(("name", "content"), [("nordic.mp4", MP4), ("nordic.m4v", MP4), ("nordic.webm", WEBM)])
def test_a_real_mp4_or_webm_is_stored(client, world, media_root, name, content):
    client.force_login(world.admin)
    exercise = Exercise.objects.get(key="nordic_full")
    response = _post_video(client, exercise, name, content)
    assert response.status_code == 302, _errors(response)
    exercise.refresh_from_db()
    assert exercise.video.name == f"exercise-videos/{name}"
    assert (media_root / exercise.video.name).read_bytes() == content


def test_the_admin_offers_videos_and_says_the_limit(client, world, settings):
    settings.EXERCISE_VIDEO_MAX_MB = 30
    client.force_login(world.admin)
    exercise = Exercise.objects.get(key="nordic_full")
    body = client.get(reverse("admin:programmes_exercise_change", args=[exercise.pk])).content.decode()
    assert 'accept="video/mp4,video/webm,.mp4,.m4v,.webm"' in body
    assert "An MP4 or WebM video of at most 30 MB" in body


def test_saving_an_exercise_whose_stored_video_is_gone_does_not_fail(client, world, media_root):
    """A stored file was checked when it came in: it is not read again (it may be gone)."""
    client.force_login(world.admin)
    exercise = Exercise.objects.get(key="nordic_full")
    Exercise.objects.filter(pk=exercise.pk).update(video="exercise-videos/lost.mp4")
    url = reverse("admin:programmes_exercise_change", args=[exercise.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("video", "id")}
    data["cues"] = "Slow all the way down."
    assert client.post(url, data).status_code == 302
    exercise.refresh_from_db()
    assert exercise.cues == "Slow all the way down." and exercise.video.name == "exercise-videos/lost.mp4"


# --- Showing the video, or not ----------------------------------------------------------------------


@pytest.fixture
def session_page(client, world):
    """The athlete's session page, for a session whose first exercise is the Dumbbell RDL."""
    with time_machine.travel(WEDNESDAY):
        session = assigned_session(world.athlete, world.coach)
        client.force_login(world.athlete_user)
        yield lambda: client.get(reverse("session_detail", args=[session.pk])).content.decode()


def test_how_to_shows_numbered_steps_and_cues(session_page):
    body = session_page()
    how_to = body.split("How to do it", 1)[1].split("</details>", 1)[0]
    assert '<ol class="how-to-steps">' in how_to
    assert "<li>Stand with a dumbbell in each hand in front of your thighs" in how_to
    assert "Dumbbells slide down the thighs" in how_to  # the cues


def test_a_video_whose_file_is_missing_shows_no_player_only_the_steps(session_page, media_root):
    Exercise.objects.filter(key="rdl_dumbbell").update(video="exercise-videos/gone.mp4")
    body = session_page()
    assert "<video" not in body and "gone.mp4" not in body
    assert "Stand with a dumbbell in each hand" in body


def test_the_home_pages_how_to_has_no_dead_player_either(client, world, media_root):
    with time_machine.travel(WEDNESDAY):
        assigned_session(world.athlete, world.coach)
        Exercise.objects.filter(key="rdl_dumbbell").update(video="exercise-videos/gone.mp4")
        client.force_login(world.athlete_user)
        body = client.get(reverse("athlete_home")).content.decode()
    assert "Today's session" in body and "How to do it" in body
    assert "<video" not in body and "Stand with a dumbbell in each hand" in body


def test_a_stored_video_plays_beside_the_steps(session_page, media_root):
    exercise = Exercise.objects.get(key="rdl_dumbbell")
    exercise.video.save("rdl.mp4", ContentFile(MP4))
    body = session_page()
    assert re.search(r'<video controls preload="none" src="/media/exercise-videos/rdl[^"]*\.mp4" class="demo-video" aria-label="Demo: Dumbbell Romanian deadlift">', body)
    assert "Stand with a dumbbell in each hand" in body


def test_an_outside_demo_link_stands_in_when_there_is_no_upload(session_page):
    Exercise.objects.filter(key="rdl_dumbbell").update(video_url="https://videos.example.org/rdl")
    body = session_page()
    assert '<a href="https://videos.example.org/rdl" rel="noopener">Watch a demo' in body and "<video" not in body


def test_a_storage_that_fails_shows_no_player_and_no_error(session_page, media_root, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    exercise = Exercise.objects.get(key="rdl_dumbbell")
    exercise.video.save("rdl.mp4", ContentFile(MP4))

    def unreachable(self, name):
        raise OSError("the store does not answer")

    monkeypatch.setattr(FileSystemStorage, "exists", unreachable)
    body = session_page()
    assert "<video" not in body and "Stand with a dumbbell in each hand" in body


# --- Serving in development -------------------------------------------------------------------------


@pytest.fixture
def debug_urls(settings, media_root):
    """The URLconf as `make run` builds it (DEBUG on): coachapp/urls.py adds the media URLs then."""
    import coachapp.urls

    settings.DEBUG = True
    importlib.reload(coachapp.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(coachapp.urls)
    clear_url_caches()


def test_the_development_server_serves_uploads_at_media(client, debug_urls, media_root):
    (media_root / "exercise-videos").mkdir()
    (media_root / "exercise-videos" / "nordic.mp4").write_bytes(MP4)
    response = client.get("/media/exercise-videos/nordic.mp4")
    assert response.status_code == 200 and b"".join(response.streaming_content) == MP4
    assert response["Content-Type"] == "video/mp4"
    assert client.get("/media/exercise-videos/other.mp4").status_code == 404


def test_with_debug_off_the_app_serves_no_uploads(client, media_root):
    (media_root / "nordic.mp4").write_bytes(MP4)
    assert client.get("/media/nordic.mp4").status_code == 404


# --- The storage backend, chosen by the environment ----------------------------------------------


def _settings_in(env):
    """What the settings module makes of `env` (a fresh process: settings are read once)."""
    code = (
        "import json, django; from django.conf import settings; "
        "print(json.dumps({'default': settings.STORAGES['default'], "
        "'media_src': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['media-src']}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MEDIA_"))}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        env=clean | {"DJANGO_SETTINGS_MODULE": "coachapp.settings", "DEBUG": "true"} | env,
    )


def test_by_default_uploads_go_to_the_local_disk():
    import json

    result = _settings_in({})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "media_src": ["'self'"],
    }


def test_s3_is_chosen_by_the_environment_and_needs_its_client_and_bucket():
    import importlib.util
    import json

    env = {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "coachapp-media", "AWS_S3_REGION_NAME": "eu-west-1",
           "AWS_S3_ENDPOINT_URL": "https://s3.example.org"}
    result = _settings_in(env)
    if importlib.util.find_spec("boto3") is None:
        # The default install has no S3 client: the settings say what to install, at start-up.
        assert result.returncode != 0
        assert "MEDIA_STORAGE=s3 needs the S3 client: install requirements/s3.txt." in result.stderr
        return
    assert result.returncode == 0, result.stderr
    chosen = json.loads(result.stdout)
    assert chosen["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert chosen["default"]["OPTIONS"]["bucket_name"] == "coachapp-media"
    assert chosen["default"]["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert chosen["media_src"] == ["'self'", "https://s3.example.org", "https://*.s3.example.org"]
    missing = _settings_in({"MEDIA_STORAGE": "s3"})
    assert "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME." in missing.stderr


def test_an_unknown_storage_is_refused_at_start_up():
    result = _settings_in({"MEDIA_STORAGE": "ftp"})
    assert result.returncode != 0 and "MEDIA_STORAGE must be filesystem or s3, not 'ftp'." in result.stderr


def _pins(name):
    text = (ROOT / "requirements" / name).read_text()
    return dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M))


def test_the_s3_lock_is_run_lock_plus_the_s3_client():
    run, s3 = _pins("run.txt"), _pins("s3.txt")
    assert {"django-storages", "boto3", "botocore"} <= set(s3) and "boto3" not in run
    assert {name: s3[name] for name in run} == run  # the same versions as the app's own lock
    assert "--hash=sha256:" in (ROOT / "requirements" / "s3.txt").read_text().split("boto3==", 1)[1][:200]


# --- Written steps for every seeded exercise -------------------------------------------------------


def test_every_seeded_exercise_has_numbered_steps_and_cues(db):
    exercises = Exercise.objects.all()
    assert {e.key for e in exercises} == set(p.RUNGS_BY_KEY)
    for exercise in exercises:
        assert 3 <= len(exercise.step_list) <= 6, exercise.key
        assert exercise.cues and exercise.cues not in exercise.steps, exercise.key
        assert not any(re.match(r"\d", step) for step in exercise.step_list), exercise.key  # pages number them


def test_the_seed_fills_only_empty_steps_and_can_run_again(db):
    from django.apps import apps

    Exercise.objects.filter(key="nordic_full").update(steps="Our own way:\nkneel, lower, catch.")
    Exercise.objects.filter(key="rdl_dumbbell").update(steps="")
    seed(apps)
    seed(apps)
    assert Exercise.objects.get(key="nordic_full").step_list == ["Our own way:", "kneel, lower, catch."]
    assert Exercise.objects.get(key="rdl_dumbbell").step_list == list(STEPS["rdl_dumbbell"])
    assert Exercise.objects.count() == len(p.RUNGS_BY_KEY)


def test_typed_numbers_before_steps_are_not_shown_twice(db):
    exercise = Exercise(steps="1. Kneel.\n 2) Lower slowly.\n\n3 .Catch.\nKeep the hips straight.")
    assert exercise.step_list == ["Kneel.", "Lower slowly.", "Catch.", "Keep the hips straight."]
