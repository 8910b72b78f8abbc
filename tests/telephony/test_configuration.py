"""The line refuses to start half-configured: a broken voice text, or Twilio without its
account, token or number."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from pydantic import SecretStr

from snp.settings import Settings
from telephony.errors import VoiceTextError
from telephony.service.configuration import check_configuration
from telephony.service.voice_texts import render


def test_the_console_line_starts_with_the_shipped_texts() -> None:
    check_configuration(Settings())
    assert "composez le 15" in render("accueil")


def test_twilio_without_its_number_does_not_start() -> None:
    settings = Settings(
        voice_backend="twilio", twilio_account_sid="AC1", twilio_auth_token=SecretStr("t")
    )
    with pytest.raises(ValueError, match="SNP_VOICE_NUMBER"):
        check_configuration(settings)


def test_closing_before_opening_does_not_start() -> None:
    with pytest.raises(ValueError, match="SNP_VOICE_OPENS_AT"):
        check_configuration(Settings(voice_opens_at=time(20, 0), voice_closes_at=time(8, 0)))


def test_an_adapted_text_with_an_unknown_variable_is_refused(tmp_path: Path) -> None:
    (tmp_path / "attente.txt").write_text("Position {rang}.\n", encoding="utf-8")
    with pytest.raises(VoiceTextError, match="rang"):
        check_configuration(Settings(voice_templates_dir=tmp_path))
    (tmp_path / "attente.txt").write_text(
        "# commentaire\nVous êtes {position}e.\n", encoding="utf-8"
    )
    check_configuration(Settings(voice_templates_dir=tmp_path))
    assert render("attente", tmp_path, position=3) == "Vous êtes 3e."
