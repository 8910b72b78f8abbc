"""The account e-mails, in French: plain text and a simple HTML version of the same words."""

from __future__ import annotations

from datetime import datetime
from html import escape

from snp.auth.roles import ROLE_LABELS, Role
from snp.kit import PARIS
from snp.mail import Mail

SIGNATURE = "La coordination de votre CPTS (plateforme SNP — soins non programmés)"


def _when(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")


def _html(paragraphs: list[str], url: str, button: str) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[:-1])
    return (
        '<!doctype html><html lang="fr"><body style="font-family:sans-serif;line-height:1.5">'
        f"{body}"
        f'<p><a href="{escape(url)}" style="display:inline-block;padding:10px 16px;'
        f'background:#0b5ea8;color:#fff;text-decoration:none;border-radius:4px">{escape(button)}'
        f"</a></p><p>Ou copiez ce lien dans votre navigateur :<br>{escape(url)}</p>"
        f"<p>{escape(paragraphs[-1])}</p></body></html>"
    )


def invitation(to: str, full_name: str, role: str, url: str, expires_at: datetime) -> Mail:
    label = ROLE_LABELS.get(Role(role), role)
    paragraphs = [
        f"Bonjour {full_name},",
        f"La coordination de votre CPTS vous a créé un compte « {label} » sur la plateforme "
        "de soins non programmés.",
        "Pour l'activer, choisissez votre mot de passe en ouvrant ce lien (une seule fois, "
        f"jusqu'au {_when(expires_at)}) :",
        SIGNATURE,
    ]
    text = "\n\n".join(
        [*paragraphs[:-1], url, "Si vous n'attendiez pas ce message, ignorez-le.", paragraphs[-1]]
    )
    return Mail(
        to=to,
        subject="Votre compte sur la plateforme SNP de la CPTS",
        text=text,
        html=_html(paragraphs, url, "Activer mon compte"),
        kind="invitation",
    )


def password_reset(to: str, full_name: str, url: str, expires_at: datetime) -> Mail:
    paragraphs = [
        f"Bonjour {full_name},",
        "Une demande de nouveau mot de passe a été faite pour votre compte.",
        "Pour choisir un nouveau mot de passe, ouvrez ce lien (une seule fois, jusqu'au "
        f"{_when(expires_at)}) ; vos autres sessions seront fermées :",
        SIGNATURE,
    ]
    text = "\n\n".join(
        [
            *paragraphs[:-1],
            url,
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de "
            "passe actuel reste valable.",
            paragraphs[-1],
        ]
    )
    return Mail(
        to=to,
        subject="Nouveau mot de passe — plateforme SNP",
        text=text,
        html=_html(paragraphs, url, "Choisir un nouveau mot de passe"),
        kind="password_reset",
    )
