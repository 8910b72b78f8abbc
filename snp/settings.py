"""One settings class for the whole platform; every field is an `SNP_` environment variable.

The README's configuration table is generated from this class (`python -m snp.settings`), and a
test fails when the two differ, so add a `description` to every new field.
"""

from __future__ import annotations

from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.ext.asyncio import AsyncSession

from snp.db import SETTINGS_KEY

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SNP_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///./var/snp.db",
        description="SQLAlchemy async URL: SQLite (aiosqlite) by default, "
        "`postgresql+asyncpg://user:pass@host/db` in production.",
    )
    database_pool_size: int = Field(
        default=10, ge=1, description="Connection pool size (PostgreSQL only)."
    )
    host: str = Field(default="127.0.0.1", description="Address `snp serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `snp serve` listens on.")
    frontend_dist: Path = Field(
        default=ROOT / "frontend" / "dist",
        description="Built web UI served at `/` (made by `make run`/`npm run build`).",
    )
    session_idle_minutes: int = Field(
        default=480, ge=5, description="A login session expires after this much inactivity."
    )
    session_max_hours: int = Field(
        default=12,
        ge=1,
        description="A login session ends this long after login, even when active.",
    )
    cookie_secure: bool = Field(
        default=True,
        description="Mark cookies `Secure` (sent over HTTPS only) and send HSTS; `make run` and "
        "the tests set it to false explicitly for plain-HTTP local use.",
    )
    login_slowdown_after: int = Field(
        default=3,
        ge=1,
        description="Login attempts on one account (from any address) before each further "
        "attempt must wait (answered 429 when too early; nobody is kept waiting).",
    )
    login_slowdown_seconds: float = Field(
        default=1.0,
        ge=0,
        description="Wait added per login attempt on one account beyond the slowdown threshold.",
    )
    login_slowdown_max_seconds: float = Field(
        default=30.0,
        ge=0,
        le=3600,
        description="Longest wait between two login attempts on one account: the real user, "
        "from any address, can always try again after it.",
    )
    login_lock_after: int = Field(
        default=8,
        ge=2,
        description="Login attempts on one account from one address before that address is "
        "locked out of that account (other addresses are not).",
    )
    login_ip_lock_after: int = Field(
        default=30,
        ge=2,
        description="Failed login attempts from one address (any account) before the address "
        "is locked out.",
    )
    login_lock_minutes: int = Field(
        default=15, ge=1, description="How long a locked-out address stays locked out."
    )
    scheduler_enabled: bool = Field(
        default=True, description="Start the job scheduler with the app (off for one-off CLIs)."
    )
    log_level: str = Field(default="INFO", description="Python logging level.")
    agenda_horizon_days: int = Field(
        default=28,
        ge=1,
        le=366,
        description="Days ahead over which recurring availability and ICS calendars become slots.",
    )
    ics_keyword: str = Field(
        default="SNP",
        min_length=1,
        description="Word (case-insensitive) in an event's summary or categories that marks it "
        "as SNP availability in an imported or subscribed ICS calendar.",
    )
    ics_slot_minutes: int = Field(
        default=20, ge=5, le=240, description="Length of the slots an ICS availability is split in."
    )
    ics_refresh_minutes: int = Field(
        default=60, ge=5, description="How often an effector's subscribed ICS calendar is fetched."
    )
    ics_fetch_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Timeout of one subscribed ICS calendar download."
    )
    ics_max_bytes: int = Field(
        default=2_000_000,
        ge=1000,
        description="Largest ICS calendar accepted (upload or subscription), in bytes.",
    )
    ics_max_expansion: int = Field(
        default=200_000,
        ge=100,
        le=10_000_000,
        description="Most recurrence steps an ICS calendar may ask to expand (from each "
        "repeated availability's start to the horizon) and most slots it may offer; larger "
        "calendars are refused before any expansion (a 224-byte `FREQ=SECONDLY` file is one).",
    )
    ics_time_budget_seconds: float = Field(
        default=5.0,
        gt=0,
        le=120,
        description="Longest time one ICS calendar may take to read (in a worker thread, two at "
        "a time); slower ones are refused.",
    )
    ics_allow_private_hosts: bool = Field(
        default=False,
        description="Allow subscribed ICS calendars on loopback/private addresses (tests and "
        "closed networks only: otherwise an effector's URL could probe the internal network).",
    )
    caldav_key: SecretStr = Field(
        default=SecretStr(""),
        description="Secret from which the key encrypting the effectors' CalDAV app passwords "
        "is derived; connecting a CalDAV calendar is refused while it is empty. Changing it "
        "makes the stored passwords unreadable (effectors reconnect their calendar).",
    )
    caldav_timeout_seconds: float = Field(
        default=10.0, gt=0, le=120, description="Timeout of one request to a CalDAV server."
    )
    hold_ttl_seconds: int = Field(
        default=300,
        ge=10,
        le=3600,
        description="How long a slot held during a booking stays reserved before it is free again.",
    )
    regulation_claim_grace_seconds: int = Field(
        default=120,
        ge=10,
        description="A claimed request whose console sent no heartbeat for this long goes back "
        "to the queue.",
    )
    regulation_unreachable_after_attempts: int = Field(
        default=3,
        ge=1,
        description="Failed call-back attempts to log before a request may close as unreachable.",
    )
    regulation_triage_within_minutes: int = Field(
        default=60,
        ge=5,
        description="Deadline for calling back a request not triaged yet (e.g. a referral).",
    )
    retention_months: int = Field(
        default=12,
        ge=1,
        le=240,
        description="Identity fields of closed requests are pseudonymised this many months "
        "after closing (job `regulation.pseudonymise`); every indicator stays unchanged.",
    )
    regulation_abandoned_after_days: int = Field(
        default=30,
        ge=2,
        le=366,
        description="A request still open this many days after it came in is closed "
        "automatically (job `regulation.close_abandoned`, nobody texted), so the retention "
        "period applies to it too.",
    )
    audit_retention_days: int = Field(
        default=365,
        ge=30,
        le=3660,
        description="Audit entries older than this move from the database to the archive "
        "file (`SNP_AUDIT_ARCHIVE_FILE`); kept in the database while no file is set.",
    )
    audit_archive_file: Path | None = Field(
        default=None,
        description="Append-only, hash-chained archive of old audit entries (JSON lines; "
        "`snp audit verify <file>` checks the chain). Put it on storage backed up apart.",
    )
    # --- Matching and booking (regulation/service/matching.py) -------------------------------
    regulation_travel_margin_minutes: int = Field(
        default=30,
        ge=0,
        le=240,
        description="Slots proposed start at least this long after the search (time to get "
        "there; a teleconsultation too, to reach the patient).",
    )
    regulation_match_km_minutes: float = Field(
        default=2.0,
        ge=0,
        description="Matching score (lower is better) = minutes until the slot + this many "
        "minutes per kilometre to the practice + the load penalties below.",
    )
    regulation_match_day_load_minutes: float = Field(
        default=20.0,
        ge=0,
        description="Matching score: minutes added per SNP patient the effector already has "
        "that day (spreads patients fairly across effectors).",
    )
    regulation_match_week_load_minutes: float = Field(
        default=4.0,
        ge=0,
        description="Matching score: minutes added per SNP patient the effector already has "
        "that week (Monday to Sunday).",
    )
    regulation_match_max_km: float = Field(
        default=40.0,
        gt=0,
        le=500,
        description="Farthest practice (or home-visit effector) proposed to a patient.",
    )
    regulation_teleconsultation_max_km: float = Field(
        default=50.0,
        gt=0,
        le=1000,
        description="Teleconsultations are proposed from effectors practising this close to the "
        "patient (the territory); the distance does not count in their score.",
    )
    regulation_match_per_effector: int = Field(
        default=2, ge=1, description="At most this many slots of one effector among proposals."
    )
    regulation_home_visit_default_radius_km: float = Field(
        default=10.0,
        gt=0,
        description="Home-visit radius of an effector doing home visits who set none.",
    )
    regulation_home_visit_max_km: float = Field(
        default=25.0,
        gt=0,
        description="Farthest home visit proposed, whatever the effector's radius.",
    )
    regulation_after_deadline_hours: int = Field(
        default=48,
        ge=1,
        le=336,
        description="When no slot fits a request's deadline, later slots are sought this far "
        "beyond it (shown as after the deadline).",
    )
    regulation_escalation_nearby_km: float = Field(
        default=15.0,
        gt=0,
        description="Escalation ladder: effectors whose practice is this close to the patient "
        "form the « effecteurs proches » step.",
    )
    regulation_escalation_step_minutes: int = Field(
        default=15,
        ge=5,
        le=720,
        description="Escalation ladder: response timeout of each step's SMS broadcast.",
    )
    regulation_freed_slot_offers: int = Field(
        default=3,
        ge=0,
        description="When a booked slot is freed, this many waiting requests it fits are "
        "flagged in the queue to be offered it first.",
    )
    # --- SMS notifications (notifications/) -----------------------------------------------------
    sms_backend: Literal["console", "twilio"] = Field(
        default="console",
        description="Where SMS go: `console` (nothing leaves the machine; shown on the "
        "coordinator's demo page) or `twilio`.",
    )
    twilio_account_sid: str = Field(default="", description="Twilio account SID (`AC...`).")
    twilio_auth_token: SecretStr = Field(
        default=SecretStr(""),
        description="Twilio auth token: authenticates API calls and verifies webhook signatures.",
    )
    twilio_from_number: str = Field(
        default="", description="Sender of the SMS (E.164 number or alphanumeric sender ID)."
    )
    twilio_messaging_service_sid: str = Field(
        default="",
        description="Twilio Messaging Service SID (`MG...`), used instead of the sender when set.",
    )
    twilio_base_url: str = Field(
        default="https://api.twilio.com",
        description="Base URL of the Twilio REST API (tests point it at a local fake server).",
    )
    twilio_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Timeout of one call to the Twilio API."
    )
    public_base_url: str = Field(
        default="",
        description="Public URL of the platform as Twilio reaches it (`https://snp.example.fr`): "
        "delivery callbacks are sent there and webhook signatures are checked against it.",
    )
    voice_backend: Literal["console", "twilio"] = Field(
        default="console",
        description="The CPTS phone line: `console` (calls simulated on the coordinator's "
        "demo page) or `twilio` (Twilio Voice, with the `SNP_TWILIO_*` account settings).",
    )
    voice_number: str = Field(
        default="",
        description="The CPTS's public phone number (E.164) on Twilio: caller ID of call-backs.",
    )
    voice_queue_name: str = Field(
        default="cpts", description="Name of the Twilio queue callers wait in."
    )
    voice_open_days: list[int] = Field(
        default=[1, 2, 3, 4, 5, 6],
        description="Days the line is answered (ISO weekdays, 1 = Monday), e.g. `[1,2,3,4,5]`.",
    )
    voice_opens_at: time = Field(
        default=time(8, 0), description="Opening time of the line (Europe/Paris)."
    )
    voice_closes_at: time = Field(
        default=time(20, 0), description="Closing time of the line (Europe/Paris)."
    )
    voice_templates_dir: Path | None = Field(
        default=None,
        description="Directory of adapted voice messages (`<id>.txt`) replacing the shipped "
        "ones (`telephony/templates`).",
    )
    voice_wait_music_url: str = Field(
        default="http://com.twilio.sounds.music.s3.amazonaws.com/MARKOVICHAMP-Borghestral.mp3",
        description="Music played to callers waiting in the queue (empty: silence).",
    )
    voice_wrap_up_seconds: int = Field(
        default=60,
        ge=0,
        le=3600,
        description="After a call, the operator stays in wrap-up this long before available.",
    )
    voice_group_minutes: int = Field(
        default=15,
        ge=1,
        le=240,
        description="Missed calls from one number within this delay make one callback task.",
    )
    voice_presence_grace_seconds: int = Field(
        default=120,
        ge=30,
        le=3600,
        description="An available operator whose console has been silent this long (closed, "
        "offline) is set away, so calls are not queued for nobody.",
    )
    voice_number_retention_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description="Callers' numbers are erased from ended calls and closed callback tasks "
        "after this many days (the call log and figures keep the rest).",
    )
    voice_auto_offer: bool = Field(
        default=False,
        description="Offer the longest-waiting call to the longest-idle available operator "
        "automatically (otherwise operators take calls with « Prendre l'appel »).",
    )
    sms_templates_dir: Path | None = Field(
        default=None,
        description="Directory of adapted SMS templates (`<id>.txt`) replacing the shipped ones.",
    )
    sms_quiet_hours_start: time = Field(
        default=time(20, 0),
        description="Start of the quiet hours (Europe/Paris): SMS to effectors wait until their "
        "end, except about a same-day appointment.",
    )
    sms_quiet_hours_end: time = Field(
        default=time(8, 0), description="End of the quiet hours (Europe/Paris)."
    )
    sms_reminder_minutes_before: int = Field(
        default=120,
        ge=0,
        description="Patient reminder this long before the appointment (0: none).",
    )
    sms_max_attempts: int = Field(
        default=6, ge=1, description="Attempts to send an SMS before it is reported undelivered."
    )
    sms_retry_base_seconds: float = Field(
        default=15.0,
        gt=0,
        description="First retry delay after a transient failure (doubled each time, jittered).",
    )
    sms_retry_max_seconds: float = Field(
        default=900.0, gt=0, description="Longest delay between two attempts of one SMS."
    )
    sms_dispatch_interval_seconds: float = Field(
        default=2.0, gt=0, description="How often the dispatcher looks for SMS to send."
    )
    sms_dispatch_batch_size: int = Field(
        default=50, ge=1, description="SMS claimed at once by one dispatcher run."
    )
    sms_dispatch_concurrency: int = Field(
        default=10, ge=1, description="SMS sent in parallel by one dispatcher."
    )
    sms_lease_seconds: int = Field(
        default=120,
        ge=10,
        description="A claimed SMS not recorded within this delay (crashed dispatcher) is taken "
        "up again, after checking with the provider that it was not sent.",
    )
    sms_console_undeliverable: str = Field(
        default="",
        description="Console backend only (demonstrations, browser tests): comma-separated "
        "numbers whose SMS fail as undeliverable, to show the operators' alerts.",
    )
    sms_broadcast_slot_minutes: int = Field(
        default=20,
        ge=5,
        le=120,
        description="Length of the slot added to an effector's agenda when they take a "
        "broadcast patient at a time they give (`OUI <code> 14h30`).",
    )
    sms_referrer_outcome: bool = Field(
        default=True,
        description="Text the referring professional (pharmacist, nurse, emergency department) "
        "the outcome of their referral, when they gave a mobile.",
    )
    sms_digest_enabled: bool = Field(
        default=False,
        description="Morning SMS to each effector listing the day's SNP patients (initials).",
    )
    sms_digest_time: time = Field(
        default=time(7, 30),
        description="When the morning digest goes (Europe/Paris); never before the end of the "
        "quiet hours.",
    )
    sms_survey_enabled: bool = Field(
        default=True,
        description="After a consultation recorded as honoured, ask the patient (SMS consent, "
        "not opted out) for a 1-5 satisfaction score.",
    )
    sms_survey_answer_hours: int = Field(
        default=48, ge=1, description="How long a satisfaction survey accepts an answer."
    )
    # --- SAS interface (sas/) ----------------------------------------------------------------
    sas_client_subjects: str = Field(
        default="",
        description="Client certificates allowed on `/fhir` (the SAS platform), separated by `;`, "
        "each `CN=<cn>,OU=<ou>`, matched against the subject DN the TLS proxy forwards in "
        "`X-SSL-Client-S-DN`.",
    )
    sas_require_client_cert: bool = Field(
        default=True,
        description="Require a forwarded client certificate on `/fhir` (false: local development "
        "only, the FHIR routes are then open to anyone).",
    )
    trusted_proxies: str = Field(
        default="127.0.0.1,::1",
        description="Addresses or networks (comma-separated, e.g. `172.28.0.10,10.0.0.0/8`) of "
        "the TLS proxies whose forwarded client-certificate subject (`X-SSL-Client-S-DN`) is "
        "believed; from any other address that header gets a 403.",
    )
    sas_proxy_secret: str = Field(
        default="",
        description="Shared secret the TLS proxy sends in `X-SNP-Proxy-Secret` on `/fhir`: with "
        "it, the forwarded client-certificate subject is believed from any address (empty: "
        "only `trusted_proxies` are).",
    )
    sas_platform_url: str = Field(
        default="",
        description="FHIR base URL of the national SAS platform that receives our appointments "
        "(INT_R03); empty: appointments wait in the outbox.",
    )
    sas_client_cert_file: Path | None = Field(
        default=None, description="Client certificate (PEM) presented to the SAS platform."
    )
    sas_client_key_file: Path | None = Field(
        default=None,
        description="Private key (PEM) of the client certificate for the SAS platform.",
    )
    sas_ca_file: Path | None = Field(
        default=None,
        description="CA bundle (PEM) that signs the SAS platform's server certificate "
        "(default: the system's).",
    )
    sas_appointment_system: str = Field(
        default="",
        description="`identifier.system` of the appointments pushed to the SAS (default: "
        "`<public_base_url>/fhir/sid/rendez-vous`).",
    )
    sas_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Timeout of one call to the SAS platform."
    )
    sas_push_interval_seconds: float = Field(
        default=5.0, gt=0, description="How often queued appointments are pushed to the SAS."
    )
    sas_retry_base_seconds: float = Field(
        default=30.0,
        gt=0,
        description="First retry delay of a failed push to the SAS (doubled each time).",
    )
    sas_retry_max_seconds: float = Field(
        default=1800.0, gt=0, description="Longest delay between two pushes of one appointment."
    )
    mfa_required: bool = Field(
        default=True,
        description="Ask every role that reads patient data for a second factor (TOTP, enrolled "
        "at first login) after the password; `false` lets every account log in with its "
        "password alone (demonstrations, tests: `make run` sets it).",
    )
    mfa_challenge_minutes: int = Field(
        default=5,
        ge=1,
        le=30,
        description="How long the step between the password and the second factor (or a Pro "
        "Santé Connect redirection) stays valid.",
    )
    psc_issuer: str = Field(
        default="",
        description="Pro Santé Connect (OpenID Connect) issuer URL, read by discovery; the "
        "« Pro Santé Connect » login is off unless it, the client id and secret are set.",
    )
    psc_client_id: str = Field(default="", description="Client id registered at Pro Santé Connect.")
    psc_client_secret: SecretStr = Field(
        default=SecretStr(""), description="Client secret registered at Pro Santé Connect."
    )
    psc_scopes: str = Field(
        default="openid scope_all",
        description="Scopes asked of Pro Santé Connect (space-separated).",
    )
    psc_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Timeout of one call to Pro Santé Connect."
    )
    password_reset_hours: int = Field(
        default=72, ge=1, le=720, description="How long a password reset link stays valid."
    )
    password_forgotten_minutes: int = Field(
        default=60,
        ge=5,
        le=1440,
        description="How long the link sent by « Mot de passe oublié » stays valid (once).",
    )
    password_forgotten_per_hour: int = Field(
        default=5,
        ge=1,
        le=100,
        description="« Mot de passe oublié » requests accepted per hour for one e-mail address, "
        "and (times four) from one IP address; beyond, 429 whether the account exists or not.",
    )
    invitation_days: int = Field(
        default=7, ge=1, le=60, description="How long an invitation link stays valid (once)."
    )
    smtp_url: SecretStr = Field(
        default=SecretStr("console://"),
        description="Outgoing mail: `console://` (or empty) prints each message to the server's "
        "standard output (account mail only, never patient data); "
        "`smtp://user:password@host:587` sends with STARTTLS, `smtps://...:465` with implicit "
        "TLS. `?ca=/path/ca.pem` trusts that certificate authority as well.",
    )
    mail_from: str = Field(
        default="SNP <ne-pas-repondre@snp.localhost>",
        description="Sender (`From:`) of the platform's e-mails.",
    )
    mail_poll_seconds: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="How often the mail sender looks for queued e-mails (besides right after "
        "the commit that queued them): those of the command line, other instances, retries.",
    )
    mail_max_attempts: int = Field(
        default=8,
        ge=1,
        le=50,
        description="Attempts to send one e-mail (with growing delays) before it is marked "
        "failed; a refused recipient fails at once.",
    )
    mail_timeout_seconds: float = Field(
        default=20.0, gt=0, le=300, description="Timeout of one SMTP conversation."
    )
    snp_fee_weekly_cap: int = Field(
        default=20,
        ge=0,
        description="SNP fee (majoration SNP): consultations a week per doctor that may carry it.",
    )
    # --- Directory from public data (agenda/service/annuaire*.py, geocoding.py) ---------------
    directory_import_dir: Path = Field(
        default=Path("var/imports"),
        description="Where an uploaded Annuaire Santé extraction waits until it is applied or "
        "discarded (on a disk every app instance shares).",
    )
    directory_import_max_mb: int = Field(
        default=2000, ge=1, description="Largest Annuaire Santé extraction accepted, in MB."
    )
    geocoder: Literal["off", "ban"] = Field(
        default="off",
        description="Refines sites placed at their commune's centre (« position approximative »):"
        " `off`, or `ban` = the Base Adresse Nationale batch CSV API at `SNP_GEOCODER_URL`.",
    )
    geocoder_url: str = Field(
        default="https://api-adresse.data.gouv.fr/search/csv/",
        description="URL of the BAN batch geocoding endpoint (`/search/csv/`).",
    )
    geocoder_timeout_seconds: float = Field(
        default=120.0, gt=0, description="Timeout of one batch sent to the geocoder."
    )
    geocoder_min_score: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description="Lowest BAN score (0-1) at which a geocoded address replaces the commune's "
        "centre.",
    )


@lru_cache
def get_settings() -> Settings:
    """The settings read from the environment: for the composition root (and `settings_of`'s
    fallback) only. Routes use `snp.deps.SettingsDep`; services receive settings as arguments."""
    return Settings()


def psc_enabled(settings: Settings) -> bool:
    return bool(
        settings.psc_issuer
        and settings.psc_client_id
        and settings.psc_client_secret.get_secret_value()
    )


def settings_of(session: AsyncSession) -> Settings:
    """The settings of the application whose database opened `session` (the composition root
    builds it with them); the environment's for a database built without (a benchmark, a second
    connection opened by a test)."""
    found = session.info.get(SETTINGS_KEY)
    return found if isinstance(found, Settings) else get_settings()


def settings_table() -> str:
    """Markdown table of every setting, used to keep the README honest."""
    lines = ["| Variable | Default | Description |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default
        if isinstance(default, Path):
            default = default.relative_to(ROOT) if default.is_relative_to(ROOT) else default
        shown = str(default).lower() if isinstance(default, bool) else str(default)
        lines.append(f"| `SNP_{name.upper()}` | `{shown}` | {field.description} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(settings_table())
