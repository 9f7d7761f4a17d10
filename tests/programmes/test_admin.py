from django.urls import reverse

from programmes.models import Exercise


def test_admin_curates_the_library(client, world):
    client.force_login(world.admin)
    listing = client.get(reverse("admin:programmes_exercise_changelist"), {"family__exact": "nordic", "q": "Nordic"})
    assert listing.status_code == 200 and "Full Nordic curl" in listing.content.decode()
    exercise = Exercise.objects.get(key="nordic_full")
    url = reverse("admin:programmes_exercise_change", args=[exercise.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("video",)}
    data.pop("video_url", None)
    data.update({"cues": "Lower slowly; hips straight.", "allowed_phases": ["return_to_training", "prevention"], "video_url": ""})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    exercise.refresh_from_db()
    assert exercise.cues == "Lower slowly; hips straight." and exercise.allowed_phases == ["return_to_training", "prevention"]


def test_coaches_cannot_reach_the_admin(client, world):
    client.force_login(world.coach)
    assert client.get(reverse("admin:programmes_exercise_changelist")).status_code == 302
