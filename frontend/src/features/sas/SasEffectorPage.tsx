/**
 * The page a SAS regulator reaches from the national platform (`Slot.comment`):
 * `/sas/effecteurs/<id>?origin=sas`. It lists the effector's free slots shared with the SAS and,
 * only when arriving with `origin=sas`, lets the regulator enter the minimal patient details and
 * book one (the appointment then reaches the effector and the platform).
 */
import { useId, useMemo, useRef, useState, type FormEvent } from "react";
import { useParams, useSearchParams } from "react-router";

import { api, type Schemas } from "../../api/client";
import { errorMessages, type FieldError } from "../../api/errors";
import { Card, EmptyState, Loaded, Page } from "../../shell/Page";
import { useApiQuery } from "../../shell/useApi";
import { EMPTY_PATIENT, PatientIdentity, textOrNull, type PatientDraft, type SetPatient } from "../regulation/PatientFields";
import { Field, RadioGroup } from "../regulation/components";
import { errorsByField, formatWhen, parisDay } from "../regulation/model";
import { sasTexts } from "./texts";

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

/** Errors of the `patient` part, keyed as the patient fields expect (`family_name`, …). */
function patientErrors(errors: readonly FieldError[]): Record<string, string> {
  return errorsByField(
    errors.map((e) => ({ ...e, field: e.field?.startsWith("patient.") ? e.field.slice("patient.".length) : e.field })),
  );
}

export function SasEffectorPage() {
  const { effectorId } = useParams();
  const [search] = useSearchParams();
  const fromSas = search.get("origin") === "sas";
  const id = Number(effectorId);
  const { state, reload } = useApiQuery<Agenda>(
    (signal) => api.GET("/api/sas/effectors/{effector_id}/slots", { params: { path: { effector_id: id } }, signal }),
    [id],
  );
  const title =
    state.status === "ok" ? t.title(`Dr ${state.data.effector.given_name} ${state.data.effector.family_name}`) : t.titleLoading;
  return (
    <Page title={title} intro={t.intro}>
      {fromSas ? (
        <p className="notice notice-info">
          <strong>{t.sasBadge}</strong>
        </p>
      ) : (
        <p className="notice notice-warning" role="note">
          {t.originNotice}
        </p>
      )}
      <Loaded state={state} onRetry={reload}>
        {(agenda) => <Agenda agenda={agenda} canBook={fromSas} onBooked={reload} />}
      </Loaded>
    </Page>
  );
}

function Agenda({ agenda, canBook, onBooked }: { agenda: Agenda; canBook: boolean; onBooked: () => void }) {
  const [chosen, setChosen] = useState<Slot | null>(null);
  const [booked, setBooked] = useState<Booking | null>(null);
  if (booked) {
    const where = booked.site ? `${booked.site.name}, ${booked.site.address_line} ${booked.site.postal_code} ${booked.site.city}` : "";
    return (
      <div className="notice notice-success" role="status">
        <h2>{t.booked}</h2>
        <p>{t.bookedDetail(formatWhen(booked.start_at), where)}</p>
        <button
          type="button"
          className="button"
          onClick={() => {
            setBooked(null);
            setChosen(null);
            onBooked();
          }}
        >
          {t.another}
        </button>
      </div>
    );
  }
  if (agenda.slots.length === 0) return <EmptyState>{t.noSlot}</EmptyState>;
  return (
    <>
      <Card title={t.slotsHeading} id="sas-slots">
        {byDay(agenda.slots).map(([day, slots]) => (
          <section key={day} className="sas-day">
            <h3>{DAY.format(new Date(slots[0]!.start_at))}</h3>
            <ul className="sas-slots">
              {slots.map((slot) => (
                <li key={slot.id}>
                  <span className="sas-slot-time">
                    {TIME.format(new Date(slot.start_at))} – {TIME.format(new Date(slot.end_at))}
                  </span>{" "}
                  <span>
                    {slot.site.name}, {slot.site.city} · {slot.kinds.map((k) => t.kinds[k]).join(", ")}
                  </span>{" "}
                  {canBook ? (
                    <button
                      type="button"
                      className={`button ${chosen?.id === slot.id ? "button-primary" : "button-secondary"}`}
                      aria-pressed={chosen?.id === slot.id}
                      aria-label={`${t.choose} ${TIME.format(new Date(slot.start_at))}`}
                      onClick={() => setChosen(slot)}
                    >
                      {chosen?.id === slot.id ? t.chosen : t.choose}
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </Card>
      {canBook && chosen ? (
        <BookingForm effectorId={agenda.effector.id} slot={chosen} onBooked={setBooked} />
      ) : null}
    </>
  );
}

function BookingForm({ effectorId, slot, onBooked }: { effectorId: number; slot: Slot; onBooked: (b: Booking) => void }) {
  // Consent is asked, never presumed: the box starts unticked.
  const [patient, setPatient] = useState<PatientDraft>({ ...EMPTY_PATIENT });
  const [kind, setKind] = useState<Kind>(slot.kinds[0] ?? "AMB");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const addressId = useId();
  const today = useMemo(() => parisDay(new Date()), []);
  const set: SetPatient = (key, value) => setPatient((p) => ({ ...p, [key]: value }));
  const byField = patientErrors(errors);
  const kinds = slot.kinds.includes(kind) ? kind : (slot.kinds[0] ?? "AMB");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setErrors([]);
    const { data, error, response } = await api.POST("/api/sas/effectors/{effector_id}/bookings", {
      params: { path: { effector_id: effectorId } },
      body: {
        slot_id: slot.id,
        kind: kinds,
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
    });
    setSubmitting(false);
    if (response.ok && data) {
      onBooked(data);
      return;
    }
    setErrors(errorMessages(error, t.errorTitle));
    requestAnimationFrame(() => summary.current?.focus());
  }

  return (
    <Card title={t.formHeading} id="sas-patient">
      <p className="page-intro">{t.formIntro}</p>
      {errors.length > 0 ? (
        <div className="notice notice-error error-summary" role="alert" tabIndex={-1} ref={summary}>
          <h2>{t.errorTitle}</h2>
          <ul>
            {errors.map((e, i) => (
              <li key={i}>{e.msg}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form onSubmit={onSubmit} noValidate aria-busy={submitting}>
        <PatientIdentity idPrefix={ID} patient={patient} set={set} errors={byField} today={today} />
        <Field id={addressId} label={t.address} error={byField.address_line}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="address_line"
              type="text"
              autoComplete="off"
              value={patient.address_line}
              onChange={(e) => set("address_line", e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        {slot.kinds.length > 1 ? (
          <RadioGroup
            id={`${ID}-kind`}
            legend={t.kind}
            name={`${ID}-kind`}
            options={slot.kinds.map((k) => ({ value: k, label: t.kinds[k] ?? k }))}
            value={kinds}
            onChange={(v) => setKind(v as Kind)}
            error={byField.kind}
          />
        ) : null}
        <label className="checkbox checkbox-large">
          <input type="checkbox" checked={patient.sms_consent} onChange={(e) => set("sms_consent", e.target.checked)} />
          {t.smsConsent}
        </label>
        <div className="form-actions">
          <button type="submit" className="button button-primary button-large" disabled={submitting}>
            {submitting ? t.submitting : t.submit}
          </button>
        </div>
      </form>
    </Card>
  );
}
