/**
 * The page a SAS regulator reaches from the national platform (`Slot.comment`):
 * `/sas/effecteurs/<id>/creneaux/<slot>?origin=sas`. It opens on that slot — recap, the
 * effector's remark and the booking form beside the list of the effector's other free slots
 * shared with the SAS over the 31 days the search exposes. Booking is offered only when arriving
 * with `origin=sas`; the server enforces the rest (SAS regulator, terms accepted, shared slot).
 */
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { Link, useParams, useSearchParams } from "react-router";

import { api, errorsByField, useApiMutation, useApiQuery, type FieldError, type Schemas } from "../../api";
import { Card, EmptyState, Page } from "../../shell/Page";
import { Button, ErrorSummary, InputField, Loaded, Notice, RadioGroup } from "../../ui";
import {
  EMPTY_PATIENT,
  formatWhen,
  parisDay,
  PatientIdentity,
  textOrNull,
  type PatientDraft,
  type SetPatient,
} from "../regulation";
import { SAS_BOOKINGS_PATH } from "./paths";
import { sasKeys } from "./queryKeys";
import { TermsGate } from "./TermsGate";
import { sasTexts } from "./texts";
import "./sas.css";

const t = sasTexts.effector;
const ID = "sas-booking";

type Agenda = Schemas["SasAgendaOut"];
type Slot = Schemas["SasSlotOut"];
type Booking = Schemas["SasBookingOut"];
type Kind = Slot["kinds"][number];

const DAY = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", weekday: "long", day: "numeric", month: "long" });
const TIME = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" });

function byDay(slots: readonly Slot[]): [string, Slot[]][] {
  const days = new Map<string, Slot[]>();
  for (const slot of slots) {
    const key = parisDay(new Date(slot.start_at));
    days.set(key, [...(days.get(key) ?? []), slot]);
  }
  return [...days.entries()];
}

function slotLabel(slot: Slot): string {
  return `${DAY.format(new Date(slot.start_at))}, ${TIME.format(new Date(slot.start_at))} – ${TIME.format(new Date(slot.end_at))}`;
}

function where(site: Slot["site"]): string {
  return `${site.name}, ${site.address_line} ${site.postal_code} ${site.city}`;
}

/** Errors of the `patient` part, keyed as the patient fields expect (`family_name`, …). */
function patientErrors(errors: readonly FieldError[]): Record<string, string> {
  return errorsByField(
    errors.map((e) => ({ ...e, field: e.field?.startsWith("patient.") ? e.field.slice("patient.".length) : e.field })),
  );
}

export function SasEffectorPage() {
  const { effectorId, slotId } = useParams();
  const [search] = useSearchParams();
  const fromSas = search.get("origin") === "sas";
  const id = Number(effectorId);
  return (
    <TermsGate>
      <EffectorAgenda id={id} wantedSlot={slotId ? Number(slotId) : null} fromSas={fromSas} />
    </TermsGate>
  );
}

function EffectorAgenda({ id, wantedSlot, fromSas }: { id: number; wantedSlot: number | null; fromSas: boolean }) {
  const agenda = useApiQuery(sasKeys.agenda(id), (signal) =>
    api.GET("/api/sas/effectors/{effector_id}/slots", { params: { path: { effector_id: id } }, signal }),
  );
  const data = agenda.data;
  const title = data ? t.title(`Dr ${data.effector.given_name} ${data.effector.family_name}`) : t.titleLoading;
  return (
    <Page title={title} intro={t.intro(data?.days ?? 31)}>
      {fromSas ? (
        <Notice tone="info">
          <strong>{t.sasBadge}</strong> · <Link to={SAS_BOOKINGS_PATH}>{t.myBookings}</Link>
        </Notice>
      ) : (
        <Notice tone="warning">{t.originNotice}</Notice>
      )}
      <Loaded query={agenda}>
        {(loaded) => <AgendaView agenda={loaded} wantedSlot={wantedSlot} canBook={fromSas} />}
      </Loaded>
    </Page>
  );
}

function AgendaView({ agenda, wantedSlot, canBook }: { agenda: Agenda; wantedSlot: number | null; canBook: boolean }) {
  const wanted = wantedSlot === null ? null : (agenda.slots.find((s) => s.id === wantedSlot) ?? null);
  const [chosen, setChosen] = useState<Slot | null>(wanted);
  const [booked, setBooked] = useState<Booking | null>(null);

  useEffect(() => {
    if (wanted) document.getElementById(`sas-slot-${wanted.id}`)?.scrollIntoView({ block: "center" });
  }, [wanted]);

  if (booked) {
    const place = booked.site ? `${booked.site.name}, ${booked.site.address_line} ${booked.site.postal_code} ${booked.site.city}` : "";
    return (
      <Notice tone="success" block>
        <h2>{t.booked}</h2>
        <p>{t.bookedDetail(formatWhen(booked.start_at), place)}</p>
        <p>
          <Button
            onClick={() => {
              setBooked(null);
              setChosen(null);
            }}
          >
            {t.another}
          </Button>{" "}
          <Link to={SAS_BOOKINGS_PATH}>{t.myBookings}</Link>
        </p>
      </Notice>
    );
  }
  return (
    <>
      {wantedSlot !== null && wanted === null ? <Notice tone="warning">{t.gone}</Notice> : null}
      {agenda.slots.length === 0 ? (
        <EmptyState>{t.noSlot}</EmptyState>
      ) : (
        <div className="sas-layout">
          <div className="sas-slots-column">
            <Card title={t.slotsHeading} id="sas-slots">
              {byDay(agenda.slots).map(([day, slots]) => (
                <section key={day} className="sas-day">
                  <h3>{DAY.format(new Date(`${day}T12:00:00Z`))}</h3>
                  <ul className="sas-slots">
                    {slots.map((slot) => (
                      <li key={slot.id} id={`sas-slot-${slot.id}`} className={chosen?.id === slot.id ? "sas-slot-current" : undefined}>
                        <span className="sas-slot-time">
                          {TIME.format(new Date(slot.start_at))} – {TIME.format(new Date(slot.end_at))}
                        </span>{" "}
                        <span>
                          {slot.site.name}, {slot.site.city} · {slot.kinds.map((k) => t.kinds[k]).join(", ")}
                        </span>{" "}
                        {canBook ? (
                          <Button
                            variant={chosen?.id === slot.id ? "primary" : "secondary"}
                            size="small"
                            aria-pressed={chosen?.id === slot.id}
                            aria-label={`${t.choose} ${slotLabel(slot)}`}
                            onClick={() => setChosen(slot)}
                          >
                            {chosen?.id === slot.id ? t.chosen : t.choose}
                          </Button>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
            </Card>
          </div>
          <div className="sas-form-column">
            {chosen ? (
              <>
                <Recap slot={chosen} />
                {canBook ? <BookingForm key={chosen.id} effectorId={agenda.effector.id} slot={chosen} onBooked={setBooked} /> : null}
              </>
            ) : canBook ? (
              <Notice tone="info">{t.pickFirst}</Notice>
            ) : null}
          </div>
        </div>
      )}
    </>
  );
}

function Recap({ slot }: { slot: Slot }) {
  return (
    <Card title={t.recapHeading} id="sas-recap">
      <div className="sas-recap">
        <dl>
          <dt>{t.recapWhen}</dt>
          <dd>{slotLabel(slot)}</dd>
          <dt>{t.recapWhere}</dt>
          <dd>{where(slot.site)}</dd>
          <dt>{t.recapKinds}</dt>
          <dd>{slot.kinds.map((k) => t.kinds[k]).join(", ")}</dd>
          {slot.remark ? (
            <>
              <dt>{t.recapRemark}</dt>
              <dd>{slot.remark}</dd>
            </>
          ) : null}
        </dl>
      </div>
    </Card>
  );
}

function BookingForm({ effectorId, slot, onBooked }: { effectorId: number; slot: Slot; onBooked: (b: Booking) => void }) {
  // Consent to SMS is asked, never assumed (the box starts unticked).
  const [patient, setPatient] = useState<PatientDraft>({ ...EMPTY_PATIENT, sms_consent: false });
  const [kind, setKind] = useState<Kind>(slot.kinds[0] ?? "AMB");
  const today = useMemo(() => parisDay(new Date()), []);
  const set: SetPatient = (key, value) => setPatient((p) => ({ ...p, [key]: value }));
  const book = useApiMutation(
    () =>
      api.POST("/api/sas/effectors/{effector_id}/bookings", {
        params: { path: { effector_id: effectorId } },
        body: {
          slot_id: slot.id,
          kind,
          patient: {
            family_name: patient.family_name,
            given_name: patient.given_name,
            birth_date: patient.birth_date || (undefined as unknown as string),
            sex: patient.sex || "undetermined",
            phone: patient.phone.trim() || (undefined as unknown as string),
            commune_insee: textOrNull(patient.commune_insee),
            address_line: textOrNull(patient.address_line),
            sms_consent: patient.sms_consent,
          },
        },
      }),
    { invalidates: [sasKeys.agenda(effectorId), sasKeys.bookings], onSuccess: onBooked },
  );
  const byField = patientErrors(book.error?.fieldErrors ?? []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    book.mutate();
  }

  return (
    <Card title={t.formHeading} id="sas-patient">
      <p className="page-intro">{t.formIntro}</p>
      <ErrorSummary title={t.errorTitle} error={book.error} />
      <form onSubmit={onSubmit} noValidate aria-busy={book.isPending}>
        <PatientIdentity idPrefix={ID} patient={patient} set={set} errors={byField} today={today} />
        <InputField
          label={t.address}
          error={byField.address_line}
          name="address_line"
          type="text"
          autoComplete="off"
          value={patient.address_line}
          onChange={(e) => set("address_line", e.target.value)}
        />
        {slot.kinds.length > 1 ? (
          <RadioGroup
            id={`${ID}-kind`}
            legend={t.kind}
            name={`${ID}-kind`}
            options={slot.kinds.map((k) => ({ value: k, label: t.kinds[k] ?? k }))}
            value={kind}
            onChange={(v) => setKind(v as Kind)}
            error={byField.kind}
          />
        ) : null}
        <label className="checkbox checkbox-large">
          <input type="checkbox" checked={patient.sms_consent} onChange={(e) => set("sms_consent", e.target.checked)} />
          {t.smsConsent}
        </label>
        <div className="form-actions">
          <Button type="submit" variant="primary" size="large" busy={book.isPending}>
            {book.isPending ? t.submitting : t.submit}
          </Button>
        </div>
      </form>
    </Card>
  );
}
