"""Signing and checking work when the caller runs inside an asyncio event loop (an ASGI
server, a Playwright session): pyHanko's sync API calls asyncio.run, which refuses there."""

import asyncio

import pytest

from reports import services, signing

pytestmark = pytest.mark.django_db


def test_sign_and_check_inside_a_running_event_loop():
    pdf = services.html_to_pdf("<p>Hello</p>")

    async def inside_a_loop():
        signed = signing.sign_pdf(pdf, reason="Test", verification_code="ABCD-EFGH-JKLM")
        return signed, signing.check_signature(signed)

    signed, check = asyncio.run(inside_a_loop())
    assert check.ok, check.problems
    assert signed.startswith(b"%PDF")
