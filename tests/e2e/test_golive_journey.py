"""Go-live from an EMPTY database, on a server with `SNP_MFA_REQUIRED=true`: the setup code from
the server's log, the first-run page, the coordinator's first login (second factor enrolled, then
straight to « données publiques »), the communes file and an Annuaire Santé extraction imported
there (preview, then apply), the imported GP's entry completed with an e-mail and invited, the
invitation read from a real SMTP server, the password chosen through the link and the second
factor enrolled, a slot published by the GP, that slot in an operator's matching (the operator
enrols too), and later the GP's « mot de passe oublié » (the code is still asked).

The second factor's codes are computed with pyotp from the secret shown on the page."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from snp.identifiers import finess_with_check_digit
from tests.e2e.conftest import ROOT
from tests.e2e.test_directory_import import COMMUNES, JOB_WAIT, annuaire_upload, extraction
from tests.support.postgres import free_port
from tests.support.smtp import SmtpServer, smtp_server

FINESS = finess_with_check_digit("35000063")
COORDINATOR = ("coordination@cpts-redon.fr", "coordination solide 2026")
GP_EMAIL = "dr.kerbrat@exemple.fr"
GP_PASSWORD = "le mot de passe du docteur"
OPERATOR = ("operatrice@cpts-redon.fr", "operatrice solide 2026")


@contextlib.contextmanager
def empty_server(tmp_path: Path, smtp: SmtpServer) -> Iterator[tuple[str, Path]]:
    """`snp serve` on a fresh, migrated, EMPTY SQLite database; yields its URL and its log."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "SNP_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'golive.db'}",
        "SNP_LOGIN_SLOWDOWN_SECONDS": "0",
        "SNP_COOKIE_SECURE": "false",
        "SNP_LOG_LEVEL": "WARNING",
        "SNP_SMTP_URL": smtp.url,
        "SNP_MAIL_FROM": "CPTS <ne-pas-repondre@cpts-redon.fr>",
        "SNP_PUBLIC_BASE_URL": base,
        "SNP_MFA_REQUIRED": "true",
    }
    subprocess.run(
        [sys.executable, "-m", "composition.cli", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    log_path = tmp_path / "golive-server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "composition.cli", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail(f"the server did not start; see {log_path}")
                time.sleep(0.2)
        try:
            yield base, log_path
        finally:
            server.terminate()
            server.wait(timeout=10)


def setup_code(log_path: Path) -> str:
    found = re.search(r"Code d'installation : (\S+)", log_path.read_text())
    assert found, "no setup code in the server's log"
    return found.group(1)


def api(page: Page, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    csrf = next((c["value"] for c in page.context.cookies() if c["name"] == "snp_csrf"), "")
    response = page.context.request.fetch(
        path, method=method, data=body, headers={"X-CSRF-Token": csrf} if body is not None else {}
    )
    assert response.ok, f"{method} {path}: {response.status} {response.text()}"
    return response.json() if response.status != 204 else None


def password_step(page: Page, email: str, password: str) -> None:
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()


def enrol_second_factor(page: Page) -> str:
    """The enrolment screen (a first login, or an accepted invitation): the secret read on the
    page, a first code computed from it, the recovery codes; returns the secret."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    secret = page.locator(".mfa-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("list", name="Codes de secours").get_by_role("listitem")).to_have_count(
        10
    )
    page.get_by_role("button", name="J'ai noté mes codes, continuer").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    return secret


def first_login(page: Page, email: str, password: str) -> str:
    """Password, then the second factor's enrolment; returns the secret."""
    page.goto("/connexion")
    password_step(page, email, password)
    return enrol_second_factor(page)


def log_in_with_code(page: Page, email: str, password: str, secret: str) -> None:
    """Password, then a code of the application (the next time step's: never one already used,
    and within the tolerated clock drift)."""
    page.goto("/connexion")
    password_step(page, email, password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Code de vérification")
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def wait_for_mail(smtp: SmtpServer, address: str, count: int = 1) -> str:
    """The text of the `count`-th e-mail to `address`, once it has arrived."""
    deadline = time.monotonic() + 20
    while len(smtp.inbox.to(address)) < count:
        assert time.monotonic() < deadline, f"no e-mail #{count} reached {address}"
        time.sleep(0.1)
    message = smtp.inbox.to(address)[count - 1]
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_a_real_cpts_goes_live_from_an_empty_database(browser: Browser, tmp_path: Path) -> None:
    with smtp_server(tmp_path) as smtp, empty_server(tmp_path, smtp) as (base, log_path):
        context = browser.new_context(base_url=base, locale="fr-FR", timezone_id="Europe/Paris")
        context.set_default_timeout(15_000)
        page = context.new_page()

        # First start: the app sends everybody to the setup page; the code is in the log.
        page.goto("/")
        expect(page).to_have_url(re.compile("/installation$"))
        page.get_by_label("Code d'installation").fill(setup_code(log_path))
        page.get_by_label("Nom de la CPTS").fill("CPTS du Pays de Redon")
        page.get_by_label("Numéro FINESS").fill(FINESS)
        page.get_by_label("Téléphone").fill("02 99 71 00 00")
        page.get_by_label("Nom du territoire").fill("Pays de Redon")
        page.get_by_label("Département").fill("35")
        page.get_by_label("Nom affiché").fill("Marie Coordination")
        page.get_by_label("Adresse e-mail (identifiant)").fill(COORDINATOR[0])
        page.get_by_label("Mot de passe (au moins 10 caractères)").fill(COORDINATOR[1])
        page.get_by_role("button", name="Installer").click()
        expect(page.get_by_text("Installation terminée")).to_be_visible()

        # The closing text points to the public data page; the login goes there once the
        # coordinator has enrolled the second factor.
        expect(page.get_by_text("/coordination/donnees-publiques")).to_be_visible()
        page.get_by_role("link", name="Se connecter et importer les communes").click()
        password_step(page, *COORDINATOR)
        enrol_second_factor(page)
        expect(page).to_have_url(re.compile("/coordination/donnees-publiques$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Territoire et annuaire depuis les données publiques"
        )

        # 1. The official communes file: the preview first, then applied.
        communes_file = tmp_path / "communes-departement-region.csv"
        communes_file.write_text(COMMUNES, encoding="utf-8")
        communes = page.get_by_role("region", name="1. Communes du territoire")
        communes.get_by_label("Fichier des communes").set_input_files(str(communes_file))
        communes.get_by_label("Départements ou communes à garder").fill("35")
        communes.get_by_role("button", name="Aperçu").click()
        preview = communes.get_by_test_id("communes-preview")
        expect(preview).to_contain_text("3 ajoutée(s), 0 modifiée(s), 0 inchangée(s)")
        expect(preview).not_to_contain_text("Quimper")
        communes.get_by_role("button", name="Appliquer").click()
        expect(preview).to_contain_text("Communes importées.")

        # 2. The Annuaire Santé extraction: its preview (a background job), then applied; the
        # GP outside the territory is left out.
        annuaire_file = tmp_path / "PS_LibreAcces_Personne_activite_202612050000.txt"
        annuaire_file.write_text(extraction(), encoding="utf-8")
        annuaire_upload(page, annuaire_file)
        job = page.get_by_test_id("annuaire-preview")
        expect(job.get_by_test_id("count-added")).to_have_text("2", timeout=JOB_WAIT)
        expect(job.get_by_role("table", name="À ajouter")).to_contain_text("Maelle KERBRAT")
        expect(job).not_to_contain_text("AILLEURS")
        job.get_by_role("button", name="Appliquer").click()
        expect(job).to_contain_text("Annuaire importé : 2 effecteur(s) ajouté(s)", timeout=JOB_WAIT)

        # An operator account, created through the API.
        api(
            page,
            "POST",
            "/api/users",
            {
                "email": OPERATOR[0],
                "full_name": "Lou Opératrice",
                "role": "operator",
                "password": OPERATOR[1],
            },
        )

        # The imported GP's entry: the extraction has no personal e-mail, the coordinator adds
        # it, then invites the GP from the entry.
        [entry] = api(page, "GET", "/api/agenda/effectors?q=Kerbrat")["items"]
        page.goto(f"/coordination/annuaire/{entry['id']}")
        edit = page.get_by_role("region", name="Modifier la fiche")
        edit.get_by_label("Adresse e-mail").fill(GP_EMAIL)
        edit.get_by_role("button", name="Enregistrer les modifications").click()
        expect(edit.get_by_text("Fiche enregistrée.")).to_be_visible()
        page.get_by_role("button", name="Inviter ce médecin").click()
        expect(page.get_by_text("Invitation envoyée par e-mail")).to_be_visible()
        page.get_by_role("button", name="Se déconnecter").click()

        # The GP opens the link from the e-mail, chooses a password, enrols the second factor
        # (no session before it) and lands on their agenda.
        text = wait_for_mail(smtp, GP_EMAIL)
        link = re.search(r"https?://\S+/invitation\?token=\S+", text)
        assert link, text
        gp = browser.new_context(
            base_url=base, locale="fr-FR", timezone_id="Europe/Paris"
        ).new_page()
        gp.goto(link.group(0))
        gp.get_by_label("Choisissez un mot de passe (au moins 10 caractères)").fill(GP_PASSWORD)
        gp.get_by_label("Confirmez le mot de passe").fill(GP_PASSWORD)
        gp.get_by_role("button", name="Activer mon compte").click()
        gp_secret = enrol_second_factor(gp)
        expect(gp).to_have_url(re.compile("/agenda$"))

        # The GP publishes a slot at their practice.
        me = api(gp, "GET", "/api/agenda/me")
        start = (datetime.now(UTC) + timedelta(minutes=50)).replace(second=0, microsecond=0)
        api(
            gp,
            "POST",
            "/api/agenda/slots",
            {
                "site_id": me["sites"][0]["id"],
                "start_at": start.isoformat(),
                "end_at": (start + timedelta(minutes=20)).isoformat(),
            },
        )

        # An operator's matching proposes it for a patient nearby.
        operator = browser.new_context(
            base_url=base, locale="fr-FR", timezone_id="Europe/Paris"
        ).new_page()
        first_login(operator, *OPERATOR)
        protocol = api(operator, "GET", "/api/regulation/protocols/current")["document"]
        answers: dict[str, Any] = {
            flag["id"]: False
            for flag in [*protocol["red_flags"], *protocol.get("risk_factors", [])]
            if flag.get("age_bands") is None or "adult" in flag["age_bands"]
        }
        answers |= {
            "fever_duration": "under_48h",
            "fever_tolerated": True,
            "immunocompromised": False,
        }
        created = api(
            operator,
            "POST",
            "/api/regulation/requests",
            {
                "family_name": "Dupont",
                "given_name": "Marie",
                "birth_date": "1986-03-14",
                "sex": "female",
                "phone": "06 98 76 54 32",
                "address_line": "5 quai Surcouf, Redon",
                "latitude": 47.652,
                "longitude": -2.084,
                "mobility": "can_travel",
                "motif": "fever",
                "answers": answers,
            },
        )
        operator.goto(f"/regulation/demandes/{created['id']}")
        proposals = operator.get_by_role("region", name="Créneaux proposés")
        expect(proposals).to_contain_text("KERBRAT")
        expect(proposals).to_contain_text("CABINET KERBRAT")

        # Later the GP forgets the password: a one-time link by e-mail from the login page.
        forgetful = browser.new_context(
            base_url=base, locale="fr-FR", timezone_id="Europe/Paris"
        ).new_page()
        forgetful.goto("/connexion")
        forgetful.get_by_role("link", name="Mot de passe oublié ?").click()
        forgetful.get_by_label("Adresse e-mail du compte").fill(GP_EMAIL)
        forgetful.get_by_role("button", name="Recevoir un lien par e-mail").click()
        expect(forgetful.get_by_text("Si un compte actif correspond")).to_be_visible()
        reset = re.search(
            r"https?://\S+/mot-de-passe/nouveau\?token=\S+", wait_for_mail(smtp, GP_EMAIL, 2)
        )
        assert reset
        forgetful.goto(reset.group(0))
        forgetful.get_by_label("Nouveau mot de passe (au moins 10 caractères)").fill(
            "un autre secret du docteur"
        )
        forgetful.get_by_label("Confirmez le mot de passe").fill("un autre secret du docteur")
        forgetful.get_by_role("button", name="Enregistrer le mot de passe").click()
        expect(forgetful.get_by_text("Mot de passe enregistré")).to_be_visible()
        # The link logged nobody in; the login with the new password still asks the code.
        expect(forgetful.get_by_role("button", name="Se déconnecter")).not_to_be_visible()
        log_in_with_code(forgetful, GP_EMAIL, "un autre secret du docteur", gp_secret)
