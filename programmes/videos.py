"""What an exercise video upload must be: a playable container, not just a video's name.

Checked by content, never by the name or the browser's claimed type: the first bytes must be an
MP4 (ISO base media file, an `ftyp` box) or a WebM (an EBML header), matching the file's ending,
and the file must be no larger than settings.EXERCISE_VIDEO_MAX_MB (docs/architecture.md#media).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

EXTENSIONS = {"mp4": "mp4", "m4v": "mp4", "webm": "webm"}
ACCEPT = "video/mp4,video/webm,.mp4,.m4v,.webm"
# ISO base media files that are pictures or sound, not video (HEIF/AVIF photos, M4A audio).
NOT_VIDEO_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis", b"M4A ", b"M4B ", b"M4P "}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
HEAD_BYTES = 64


def container(head: bytes) -> str:
    """"mp4", "webm" or "" for the first bytes of a file."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        # A real ftyp box: brand, version, then whole 4-byte compatible brands; never large.
        size = int.from_bytes(head[:4], "big")
        if 16 <= size <= 1024 and size % 4 == 0 and head[8:12] not in NOT_VIDEO_BRANDS:
            return "mp4"
    if head.startswith(EBML_MAGIC) and (b"webm" in head or b"matroska" in head):
        return "webm"
    return ""


@deconstructible
class VideoValidator:
    """A new upload only: a file already stored was checked when it came in (and reading it back
    from a remote store on every save would be slow, or fail if it has gone)."""

    def __call__(self, value):
        if not value or getattr(value, "_committed", True):
            return
        name = value.name.rsplit("/", 1)[-1]
        ending = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ending not in EXTENSIONS:
            raise ValidationError(
                "“%(name)s” is not a video file: upload an MP4 or WebM video (a name ending in .mp4, .m4v or .webm).",
                code="video_extension", params={"name": name},
            )
        if value.size == 0:
            raise ValidationError("“%(name)s” is empty: upload the video again.", code="video_empty", params={"name": name})
        limit_mb = settings.EXERCISE_VIDEO_MAX_MB
        if value.size > limit_mb * 1024 * 1024:
            raise ValidationError(
                "“%(name)s” is %(size)s MB; a video may be at most %(limit)s MB. Shorten or compress it and upload it again.",
                code="video_too_large",
                params={"name": name, "size": f"{value.size / (1024 * 1024):.1f}", "limit": limit_mb},
            )
        upload = value.file
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        found = container(head)
        if not found:
            raise ValidationError(
                "“%(name)s” is not a video: its content is not MP4 or WebM, whatever its name says. Export the clip as MP4 or WebM and upload that.",
                code="video_content", params={"name": name},
            )
        if found != EXTENSIONS[ending]:
            raise ValidationError(
                "“%(name)s” holds a %(found)s video but its name ends in .%(ending)s: rename it to end in .%(found)s.",
                code="video_mismatch", params={"name": name, "found": found, "ending": ending},
            )

    def __eq__(self, other):
        return isinstance(other, VideoValidator)


validate_video = VideoValidator()
