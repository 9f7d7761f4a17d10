"""What the account's security page shows (docs/architecture.md#services-selectors-and-views)."""

from base64 import b32encode

import qrcode
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage


def two_factor_setup(*, user):
    """The authenticator app being set up (not confirmed yet), or None: none was begun, or
    two-factor sign-in is on already (then a setup left behind is ignored)."""
    return None if user_has_device(user) else _unconfirmed_app(user)


def two_factor_page(*, user) -> dict:
    """Whether two-factor sign-in is on; if a setup is under way, its device, QR code and key."""
    enabled = user_has_device(user)
    setup = None if enabled else _unconfirmed_app(user)
    # API tokens through the reverse relation: accounts sits below the api app (docs/architecture.md#layers).
    page = {"enabled": enabled, "setup": setup, "tokens": list(user.auth_token_set.order_by("-created"))}
    if setup:
        page["qr_svg"] = authenticator_qr_svg(setup)
        page["key"] = b32encode(setup.bin_key).decode()
    return page


def _unconfirmed_app(user):
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def authenticator_qr_svg(device) -> str:
    """The authenticator app's setup link as an inline SVG QR code (no image request, no inline style)."""
    return qrcode.make(device.config_url, image_factory=SvgPathImage).to_string(encoding="unicode")
