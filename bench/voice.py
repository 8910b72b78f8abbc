"""The phone line under a burst: 100 calls arriving within 10 s on 10 available operators,
through the fake Twilio Voice of the tests, with 50 consoles connected.

Starts the real app (`snp serve`, its own process, `SNP_VOICE_BACKEND=twilio` aimed at the fake
server) over a fresh database. The fake places the calls (signed `POST /api/voice/twilio/inbound`,
then follows our TwiML into the queue); 10 operator bots take waiting calls (« Prendre l'appel »,
the REST update through the real `twilio` SDK to the fake), talk `--talk-seconds`, then the call
ends (`<Dial>` action and status callback); a caller still waiting after `--patience-seconds`
hangs up (a callback task). The bots behave as consoles and people do: a console is loaded
before the calls come and reads the board again on each `voice.call_waiting` event; a person takes
0.3-1.5 s (seeded) to see a call and click. `--warm-up-calls` untimed calls go through the whole
path first. Measures:

- the inbound webhook's answer time as Twilio sees it, from the signed POST sent to the TwiML
  received, for each call (p99 target < 50 ms, nearest rank over the calls' inbound webhooks:
  of 100 calls, the 99th fastest; `all_webhooks_p99_ms=` adds the queue, wait, dial and status
  callbacks, for information);
- from just before the webhook is sent to the `voice.call_waiting` message on *every* one of the
  50 consoles (p99 target < 500 ms), printed as `p99_ms=`;
- calls lost: every call must end answered or as a callback task (target 0).

    .venv/bin/python bench/voice.py                                  # SQLite, full figures
    .venv/bin/python bench/voice.py --calls 30 --within 3 --consoles 10 --operators 3
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import func, select

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    add_database_arguments,
    load_average,
    median,
    nearest_rank,
    run_on_databases,
    served_app,
)
from bench.consoles import Console, create_operators, login, open_console
from composition import migrate
from snp.db import Database
from telephony.models import PhoneCall
from tests.telephony.fake_voice import ACCOUNT_SID, AUTH_TOKEN, CPTS_NUMBER, FakeCall, FakeVoice


async def prepare(url: str, consoles: int) -> list[str]:
    database = Database(url)
    emails = [f"voice{n}@bench.fr" for n in range(consoles)]
    try:
        async with database.transaction() as session:
            await create_operators(session, emails)
    finally:
        await database.dispose()
    return emails


def call_id_of(call: FakeCall) -> int | None:
    if not call.wait_url:
        return None
    return int(parse_qs(urlsplit(call.wait_url).query)["call"][0])


class Burst:
    def __init__(self, fake: FakeVoice, args: argparse.Namespace) -> None:
        self.fake = fake
        self.args = args
        self.webhook_ms: list[float] = []  # the inbound webhooks (one per call)
        self.all_webhook_ms: list[float] = []  # every webhook of the line
        self.began: dict[str, float] = {}  # CallSid -> when its inbound webhook was sent
        self.sent_at: dict[int, float] = {}
        self.by_id: dict[int, FakeCall] = {}
        self.placed = 0
        self.done = asyncio.Event()
        self.rng = random.Random(args.seed)
        original = fake.post

        async def timed(url: str, params: dict[str, str], **kwargs: object) -> httpx.Response:
            began = time.perf_counter()
            if url == fake.voice_url:
                self.began[params["CallSid"]] = began
            response = await original(url, params, **kwargs)  # type: ignore[arg-type]
            elapsed = (time.perf_counter() - began) * 1000
            self.all_webhook_ms.append(elapsed)
            if url == fake.voice_url:
                self.webhook_ms.append(elapsed)
            return response

        fake.post = timed  # type: ignore[method-assign]

    async def caller(self, n: int) -> None:
        await asyncio.sleep(n * self.args.within / self.args.calls)
        call = await self.fake.place_call(f"+3361{n:07d}")
        began = self.began[call.sid]
        call_id = call_id_of(call)
        self.placed += 1
        if call_id is None:
            return
        self.sent_at[call_id] = began
        self.by_id[call_id] = call
        await asyncio.sleep(self.args.patience_seconds)
        if call.status == "queued":
            await self.fake.caller_hangs_up(call)

    async def operator(self, client: httpx.AsyncClient, console: Console) -> None:
        """An operator's console: reads the board when the live line says a call waits (as the
        real console refetches on `voice.call_waiting`), with a slow poll as a safety net. The
        console was open before the burst: its first read waits for the first event."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(console.arrived.wait(), 0.5)
        while not (self.placed == self.args.calls and self.done.is_set()):
            console.arrived.clear()
            board = (await client.get("/api/voice/board")).json()
            if not board["waiting"]:
                if self.placed == self.args.calls:
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(console.arrived.wait(), 0.5)
                continue
            # A person, not a script: the time to see the call and click (seeded, 0.3-1.5 s),
            # then « Prendre l'appel » on what the board showed (another may have taken it).
            await asyncio.sleep(self.rng.uniform(0.3, 1.5))
            for waiting in board["waiting"]:
                taken = await client.post(f"/api/voice/calls/{waiting['id']}/take")
                if taken.status_code == 200:
                    call = self.by_id.get(waiting["id"])
                    await asyncio.sleep(self.args.talk_seconds)
                    if call is not None and call.dialled is not None:
                        await self.fake.dial_ends(call, "completed", int(self.args.talk_seconds))
                    break


async def warm_up(
    fake: FakeVoice,
    args: argparse.Namespace,
    operators: list[httpx.AsyncClient],
    consoles: list[Console],
    url: str,
) -> int:
    """A few calls through the whole path (ring, queue, taken, ended) before the timed burst, as
    the other benches warm up: a served process's first requests load code and compile
    statements that a line open for days has long loaded. Returns the last call id before the
    burst (the counts are the burst's)."""
    if args.warm_up_calls:
        untimed = fake.post
        warm = Burst(
            fake,
            argparse.Namespace(
                **{
                    **vars(args),
                    "calls": args.warm_up_calls,
                    "within": 1.0,
                    "talk_seconds": 0.2,
                    "patience_seconds": 3.0,
                }
            ),
        )
        await asyncio.gather(
            *[warm.caller(n) for n in range(args.warm_up_calls)],
            *[warm.operator(c, s) for c, s in zip(operators, consoles, strict=False)],
        )
        fake.post = untimed  # type: ignore[method-assign]
    database = Database(url)
    try:
        async with database.transaction() as session:
            return int(await session.scalar(select(func.max(PhoneCall.id))) or 0)
    finally:
        await database.dispose()


async def measure(url: str, args: argparse.Namespace) -> tuple[Burst, list[float], int, int, int]:
    emails = await prepare(url, args.consoles)
    fake_client = httpx.AsyncClient(timeout=30)
    fake = FakeVoice(webhook_client=fake_client, voice_url="", status_url="")
    await fake.start()
    env = {
        "SNP_VOICE_BACKEND": "twilio",
        "SNP_VOICE_NUMBER": CPTS_NUMBER,
        "SNP_VOICE_OPEN_DAYS": "[1,2,3,4,5,6,7]",
        "SNP_VOICE_OPENS_AT": "00:00",
        "SNP_VOICE_CLOSES_AT": "23:59:59",
        "SNP_VOICE_WRAP_UP_SECONDS": "0",
        "SNP_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "SNP_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "SNP_TWILIO_BASE_URL": fake.url,
    }
    try:
        # No public address: signatures are checked against the URL called (the served one)
        # and the TwiML's URLs are relative to it, as Twilio resolves them.
        async with served_app(url, env | {"SNP_PUBLIC_BASE_URL": ""}) as base:
            fake.webhook_client = httpx.AsyncClient(base_url=base, timeout=30)
            fake.voice_url = f"{base}/api/voice/twilio/inbound"
            fake.status_url = f"{base}/api/voice/twilio/status"
            clients = [await login(base, email) for email in emails]
            consoles = [
                await open_console(base, c, "voice.call_waiting", "call_id") for c in clients
            ]
            operators = clients[: args.operators]
            for n, client in enumerate(operators):
                presence = {"state": "available", "phone": f"+3362{n:07d}"}
                (await client.put("/api/voice/presence", json=presence)).raise_for_status()
            first_id = await warm_up(fake, args, operators, consoles, url)
            burst = Burst(fake, args)
            for console in consoles:
                console.arrived.clear()  # the warm-up's events are read
            try:
                await asyncio.gather(
                    *[burst.caller(n) for n in range(args.calls)],
                    *[burst.operator(c, s) for c, s in zip(operators, consoles, strict=False)],
                )
                deadline = time.monotonic() + 5
                while any(call_id not in c.seen for call_id in burst.sent_at for c in consoles):
                    if time.monotonic() > deadline:
                        break
                    await asyncio.sleep(0.01)
                every = [
                    max((c.seen.get(call_id, float("inf")) - began) * 1000 for c in consoles)
                    for call_id, began in burst.sent_at.items()
                ]
            finally:
                for console in consoles:
                    console.task.cancel()
                    await console.socket.close()
                for client in clients:
                    await client.aclose()
                await fake.webhook_client.aclose()
        database = Database(url)
        try:
            async with database.transaction() as session:
                burst_calls = PhoneCall.id > first_id
                total = int(
                    await session.scalar(
                        select(func.count()).select_from(PhoneCall).where(burst_calls)
                    )
                    or 0
                )
                answered = int(
                    await session.scalar(
                        select(func.count())
                        .select_from(PhoneCall)
                        .where(burst_calls, PhoneCall.answered_at.is_not(None))
                    )
                    or 0
                )
                lost = int(
                    await session.scalar(
                        select(func.count())
                        .select_from(PhoneCall)
                        .where(
                            burst_calls,
                            PhoneCall.answered_at.is_(None),
                            PhoneCall.callback_task_id.is_(None),
                        )
                    )
                    or 0
                )
        finally:
            await database.dispose()
    finally:
        await fake.stop()
        await fake_client.aclose()
    return burst, every, total, answered, lost


def run(name: str, url: str, args: argparse.Namespace) -> None:
    print(
        f"# {name}: {args.calls} calls in {args.within} s, {args.operators} operators, "
        f"{args.consoles} consoles (load average before: {load_average()})",
        file=sys.stderr,
    )
    migrate.upgrade(url)
    burst, every, total, answered, lost = asyncio.run(measure(url, args))
    webhook = burst.webhook_ms
    print(
        f"{name} calls={total} answered={answered} callback_tasks={total - answered - lost} "
        f"lost={lost} webhook_median_ms={median(webhook):.1f} "
        f"webhook_p99_ms={nearest_rank(webhook, 99):.1f} "
        f"all_webhooks_p99_ms={nearest_rank(burst.all_webhook_ms, 99):.1f} "
        f"every_console_median_ms={median(every):.1f} p99_ms={nearest_rank(every, 99):.1f} "
        f"(load average after: {load_average()})",
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--within", type=float, default=10.0, help="seconds the calls arrive in")
    parser.add_argument("--operators", type=int, default=10)
    parser.add_argument("--consoles", type=int, default=50)
    parser.add_argument("--talk-seconds", type=float, default=2.0)
    parser.add_argument("--patience-seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=7, help="the operators' reaction times")
    parser.add_argument(
        "--warm-up-calls", type=int, default=10, help="untimed calls before the burst"
    )
    add_database_arguments(parser, "voice", default="sqlite")
    run_on_databases(parser.parse_args(argv), "voice", run)


if __name__ == "__main__":
    main()
