/** The slot dialog: open a slot (or several), see one, change it, delete it. */
import { useState, type FormEvent } from "react";

import { api, asApiError, errorsByField, fieldErrorIn, unwrap, useApiMutation, useApiQuery, type FieldError, type Schemas } from "../../api";
import { CheckboxGroup, ErrorSummary, Field, InputField, Loaded, Modal, RangeFields, rangeFieldId } from "../../ui";
import { agendaKeys } from "./queryKeys";
import { SiteField, siteName, type EffectorProfile } from "./me";
import { agendaTexts } from "./texts";
import { dateTimeAt, inDaysIso, nowIso, paris, parisDate, parisTime, parisToIso, slotWhen, splitRange, todayInParis } from "./time";
import { Actions, SubmitOrCancel } from "./ui";

type Slot = Schemas["SlotOut"];
type Kind = Slot["kinds"][number];
type Visibility = Slot["visibility"][number];

export type SlotDialogState =
  | { mode: "create"; start: string | null; end: string | null }
  | { mode: "details"; slot: Slot }
  | { mode: "edit"; slot: Slot }
  | { mode: "move"; slot: Slot }
  | { mode: "delete"; slot: Slot };

const KINDS: readonly Kind[] = ["AMB", "HH", "VR"];
const VISIBILITIES: readonly Visibility[] = ["SNP", "CPTS", "PRO", "PUBLIC"];
const SPLITS = [0, 15, 20, 30] as const;
/** The slot form's ids: a missing date or time is said on the date, a wrong end on the end. */
const ID = "slot";
const FIELD_IDS = { start_at: rangeFieldId(ID, "date"), end_at: rangeFieldId(ID, "end_at") };

export const kindOptions = KINDS.map((k) => ({ value: k, label: agendaTexts.kinds[k], hint: agendaTexts.kindsHint[k] }));
export const visibilityOptions = VISIBILITIES.map((v) => ({ value: v, label: agendaTexts.visibility[v], hint: agendaTexts.visibilityHint[v] }));

interface Props {
  state: SlotDialogState;
  me: EffectorProfile;
  onClose: () => void;
  onDone: (message: string) => void;
  onChange: (state: SlotDialogState) => void;
}

export function SlotDialog({ state, me, onClose, onDone, onChange }: Props) {
  switch (state.mode) {
    case "create":
      return <SlotForm me={me} slot={null} start={state.start} end={state.end} onClose={onClose} onDone={onDone} />;
    case "edit":
      return <SlotForm me={me} slot={state.slot} start={state.slot.start_at} end={state.slot.end_at} onClose={onClose} onDone={onDone} />;
    case "details":
      return <SlotDetails me={me} slot={state.slot} onClose={onClose} onChange={onChange} onDone={onDone} />;
    case "move":
      return <MoveAppointment me={me} slot={state.slot} onClose={onClose} onDone={onDone} onBack={() => onChange({ mode: "details", slot: state.slot })} />;
    case "delete":
      return <DeleteSlot slot={state.slot} onClose={onClose} onDone={onDone} onBack={() => onChange({ mode: "details", slot: state.slot })} />;
  }
}

function SlotForm({
  me,
  slot,
  start,
  end,
  onClose,
  onDone,
}: {
  me: EffectorProfile;
  slot: Slot | null;
  start: string | null;
  end: string | null;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const f = agendaTexts.slotForm;
  const [date, setDate] = useState(start ? parisDate(start) : todayInParis());
  const [startTime, setStartTime] = useState(start ? parisTime(start) : "");
  const [endTime, setEndTime] = useState(end ? parisTime(end) : "");
  const [split, setSplit] = useState<number>(0);
  const [siteId, setSiteId] = useState<number>(slot?.site_id ?? me.sites[0]?.id ?? 0);
  const [kinds, setKinds] = useState<Kind[]>(slot ? [...slot.kinds] : ["AMB"]);
  const [visibility, setVisibility] = useState<Visibility[]>(slot ? [...slot.visibility] : ["SNP", "CPTS"]);
  const [shared, setShared] = useState(slot?.shared_with_sas ?? true);
  const [reason, setReason] = useState(slot?.reason ?? "");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  // A booked or held slot keeps its time here: moving it would send its patient back.
  const timesLocked = slot !== null && slot.status !== "free";
  const byField = errorsByField(errors);

  const startIso = date && startTime ? parisToIso(date, startTime) : null;
  const endIso = date && endTime ? parisToIso(date, endTime) : null;
  const pieces = startIso && endIso && endIso > startIso ? splitRange(startIso, endIso, split || null) : [];

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local: FieldError[] = [];
    if (!startIso || !endIso) local.push({ field: "start_at", msg: f.required });
    else if (paris(endIso) <= paris(startIso)) local.push({ field: "end_at", msg: f.endBeforeStart });
    else if (pieces.length === 0) local.push({ field: "end_at", msg: f.tooShort });
    if (kinds.length === 0) local.push({ field: "kinds", msg: f.chooseKind });
    if (visibility.length === 0) local.push({ field: "visibility", msg: f.chooseVisibility });
    if (local.length > 0 || !startIso || !endIso) {
      setErrors(local);
      return;
    }
    setBusy(true);
    setErrors([]);
    const common = { site_id: siteId, kinds, visibility, shared_with_sas: shared, reason: reason.trim() || null };
    if (slot) {
      const body = timesLocked ? common : { ...common, start_at: startIso, end_at: endIso };
      try {
        await unwrap(api.PATCH("/api/agenda/slots/{slot_id}", { params: { path: { slot_id: slot.id } }, body }));
        onDone(agendaTexts.effectorHome.updated);
      } catch (error) {
        setErrors(asApiError(error).messages);
      } finally {
        setBusy(false);
      }
      return;
    }
    // One call per piece, one after the other: each is accepted or refused on its own.
    let created = 0;
    const refused: FieldError[] = [];
    for (const [pieceStart, pieceEnd] of pieces) {
      try {
        await unwrap(api.POST("/api/agenda/slots", { body: { ...common, start_at: pieceStart, end_at: pieceEnd } }));
        created += 1;
      } catch (error) {
        const messages = asApiError(error).messages;
        if (pieces.length === 1) refused.push(...messages);
        // Several slots: one line per refused slot, in the summary only (not beside the fields).
        else refused.push(...messages.map((e) => ({ field: null, msg: `${parisTime(pieceStart)}\u00a0: ${e.msg}` })));
      }
    }
    setBusy(false);
    if (refused.length === 0) {
      onDone(agendaTexts.effectorHome.created(created));
      return;
    }
    setErrors(created > 0 ? [{ field: null, msg: f.partial(created, pieces.length - created) }, ...refused] : refused);
  }

  return (
    <Modal title={slot ? f.editTitle : f.createTitle} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate aria-busy={busy} className="ag-form">
        <ErrorSummary title={f.errorTitle} errors={errors} fieldIds={FIELD_IDS} />
        <RangeFields
          legend={f.when}
          legendHidden
          type="time"
          idPrefix={ID}
          errors={byField}
          before={
            <InputField
              id={FIELD_IDS.start_at}
              label={f.date}
              error={byField.start_at}
              className="field-wide"
              type="date"
              value={date}
              onChange={(e) => setDate(e.target.value)}
              disabled={timesLocked}
              required
            />
          }
          start={{ name: "start_time", label: f.start, value: startTime, onChange: setStartTime }}
          end={{ name: "end_at", label: f.end, value: endTime, onChange: setEndTime }}
          step={300}
          disabled={timesLocked}
          required
        />
        {slot === null ? (
          <Field label={f.split} hint={f.splitHint}>
            {({ id, describedBy }) => (
              <select id={id} value={split} onChange={(e) => setSplit(Number(e.target.value))} aria-describedby={describedBy}>
                {SPLITS.map((m) => (
                  <option key={m} value={m}>
                    {m === 0 ? f.splitNone : f.splitEvery(m)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <SiteField label={f.site} sites={me.sites} value={siteId} onChange={setSiteId} error={byField.site_id} />
        <CheckboxGroup legend={f.kinds} options={kindOptions} value={kinds} onChange={setKinds} error={byField.kinds} />
        <CheckboxGroup
          legend={f.visibility}
          hint={f.visibilityHint}
          options={visibilityOptions}
          value={visibility}
          onChange={setVisibility}
          error={byField.visibility}
        />
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
            {f.sharedWithSas}
          </label>
        </div>
        <InputField
          label={f.reason}
          hint={f.reasonHint}
          error={byField.reason}
          type="text"
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <SubmitOrCancel
          busy={busy}
          submit={slot ? f.submitEdit : pieces.length > 1 ? f.submitCreateMany(pieces.length) : f.submitCreate}
          submitting={f.submitting}
          cancel={f.cancel}
          onCancel={onClose}
        />
      </form>
    </Modal>
  );
}

/** Where a slot comes from; a slot with a template is the template's, whatever `source` says. */
function sourceOf(slot: Slot): string {
  return slot.template_id !== null && slot.template_id !== undefined ? "template" : slot.source;
}

function SlotDetails({
  me,
  slot,
  onClose,
  onChange,
  onDone,
}: {
  me: EffectorProfile;
  slot: Slot;
  onClose: () => void;
  onChange: (state: SlotDialogState) => void;
  onDone: (message: string) => void;
}) {
  const d = agendaTexts.slotDetails;
  const past = paris(slot.end_at).toMillis() <= Date.now();
  const started = paris(slot.start_at).toMillis() <= Date.now();
  const appointment = slot.appointment ?? null;
  const when = slotWhen(slot.start_at, slot.end_at);
  const record = useApiMutation(
    (outcome: "fulfilled" | "noshow") =>
      api.PUT("/api/agenda/appointments/{appointment_id}/outcome", {
        params: { path: { appointment_id: appointment?.id ?? "" } },
        body: { outcome },
      }),
    { onSuccess: (_data, outcome) => onDone(d.outcomeSaved(agendaTexts.outcomeStates[outcome] ?? outcome, when)) },
  );
  return (
    <Modal title={d.title} onClose={onClose}>
      <dl className="ag-details">
        <div>
          <dt>{d.when}</dt>
          <dd>{slotWhen(slot.start_at, slot.end_at)}</dd>
        </div>
        <div>
          <dt>{d.state}</dt>
          <dd>
            <span className={`ag-state ag-slot-${slot.status}`}>{agendaTexts.states[slot.status]}</span>
            {slot.status === "held" && slot.hold_expires_at ? <span className="cell-sub">{d.holdUntil(parisTime(slot.hold_expires_at))}</span> : null}
          </dd>
        </div>
        {slot.appointment ? (
          <div>
            <dt>{d.patient}</dt>
            <dd>
              <strong>{slot.appointment.patient_label ?? agendaTexts.upcoming.noLabel}</strong>
              <span className="cell-sub">
                {d.patientKind}{"\u00a0: "}{agendaTexts.kinds[slot.appointment.kind]}
              </span>
            </dd>
          </div>
        ) : null}
        {appointment ? (
          <div>
            <dt>{d.bookedBy}</dt>
            <dd>{appointment.origin === "sas" ? agendaTexts.bookedBy.sas : agendaTexts.bookedBy.other}</dd>
          </div>
        ) : null}
        {appointment ? (
          <div>
            <dt>{d.outcome}</dt>
            <dd data-outcome={appointment.status}>
              {agendaTexts.outcomeStates[appointment.status ?? ""] ?? (started ? d.outcomePending : d.outcomeComing)}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{d.site}</dt>
          <dd>{siteName(me.sites, slot.site_id) || "—"}</dd>
        </div>
        <div>
          <dt>{d.kinds}</dt>
          <dd>{slot.kinds.map((k) => agendaTexts.kinds[k]).join(", ")}</dd>
        </div>
        <div>
          <dt>{d.visibility}</dt>
          <dd>{slot.visibility.map((v) => agendaTexts.visibility[v]).join(", ")}</dd>
        </div>
        <div>
          <dt>{d.sas}</dt>
          <dd>{slot.shared_with_sas ? d.yes : d.no}</dd>
        </div>
        {slot.reason ? (
          <div>
            <dt>{d.reason}</dt>
            <dd>{slot.reason}</dd>
          </div>
        ) : null}
        <div>
          <dt>{d.source}</dt>
          <dd>{d.sources[sourceOf(slot)] ?? slot.source}</dd>
        </div>
      </dl>
      {past ? <p className="card-note">{d.pastNote}</p> : null}
      <ErrorSummary title={d.outcomeFailed} error={record.error} />
      {appointment && started ? (
        <Actions>
          {(["fulfilled", "noshow"] as const).map((outcome) => (
            <button
              key={outcome}
              type="button"
              className={`button ${appointment.status === outcome ? "button-primary" : "button-secondary"}`}
              aria-pressed={appointment.status === outcome}
              disabled={record.isPending}
              onClick={() => record.mutate(outcome)}
            >
              {outcome === "fulfilled" ? d.markSeen : d.markAbsent}
            </button>
          ))}
        </Actions>
      ) : null}
      <Actions>
        {appointment && !started && appointment.status === "booked" ? (
          <button type="button" className="button button-primary" onClick={() => onChange({ mode: "move", slot })}>
            {d.move}
          </button>
        ) : null}
        {!past ? (
          <button type="button" className="button button-secondary" onClick={() => onChange({ mode: "edit", slot })}>
            {d.edit}
          </button>
        ) : null}
        <button type="button" className="button ag-button-danger" onClick={() => onChange({ mode: "delete", slot })}>
          {d.delete}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {d.close}
        </button>
      </Actions>
    </Modal>
  );
}

function DeleteSlot({
  slot,
  onClose,
  onDone,
  onBack,
}: {
  slot: Slot;
  onClose: () => void;
  onDone: (message: string) => void;
  onBack: () => void;
}) {
  const x = agendaTexts.deleteSlot;
  const [reason, setReason] = useState("");
  const when = slotWhen(slot.start_at, slot.end_at);
  const booked = slot.status === "booked";
  const remove = useApiMutation(
    () =>
      api.DELETE("/api/agenda/slots/{slot_id}", {
        params: { path: { slot_id: slot.id }, query: booked && reason.trim() ? { reason: reason.trim() } : {} },
      }),
    { onSuccess: () => onDone(agendaTexts.effectorHome.deleted(when)) },
  );
  const busy = remove.isPending;
  const onConfirm = () => remove.mutate();

  return (
    <Modal title={x.title} onClose={onClose}>
      <ErrorSummary title={x.failed} error={remove.error} />
      <p>{x.body(when)}</p>
      {booked ? (
        <div className="notice notice-warning" role="note">
          <p>{x.bookedWarning(slot.appointment?.patient_label ?? agendaTexts.upcoming.noLabel)}</p>
        </div>
      ) : null}
      {slot.status === "held" ? (
        <div className="notice notice-warning" role="note">
          <p>
            {x.heldWarning}
            {slot.hold_expires_at ? ` (${dateTimeAt(slot.hold_expires_at)})` : ""}
          </p>
        </div>
      ) : null}
      {booked ? (
        <Field label={x.reason}>
          {({ id }) => <input id={id} type="text" maxLength={150} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      ) : null}
      <Actions>
        <button type="button" className="button ag-button-danger" onClick={onConfirm} disabled={busy}>
          {busy ? x.deleting : x.confirm}
        </button>
        <button type="button" className="button button-secondary" onClick={onBack}>
          {x.cancel}
        </button>
      </Actions>
    </Modal>
  );
}

/** Moving the booked appointment of `slot` to another of the GP's free slots. */
function MoveAppointment({
  me,
  slot,
  onClose,
  onDone,
  onBack,
}: {
  me: EffectorProfile;
  slot: Slot;
  onClose: () => void;
  onDone: (message: string) => void;
  onBack: () => void;
}) {
  const m = agendaTexts.moveAppointment;
  const appointment = slot.appointment;
  const kind = appointment?.kind ?? "AMB";
  const [range] = useState(() => ({ start: nowIso(), end: inDaysIso(14) }));
  const [target, setTarget] = useState<number | null>(null);
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const slots = useApiQuery(agendaKeys.freeSlots(me.id, range.start), (signal) =>
    api.GET("/api/agenda/slots", { params: { query: { start: range.start, end: range.end, effector_id: me.id } }, signal }),
  );
  const choices = (slots.data ?? []).filter(
    (s) => s.status === "free" && s.id !== slot.id && s.kinds.includes(kind) && paris(s.start_at).toMillis() > Date.now(),
  );
  const chosen = choices.find((s) => s.id === target) ?? null;
  const move = useApiMutation(
    (to: Slot) =>
      api.POST("/api/agenda/appointments/{appointment_id}/move", {
        params: { path: { appointment_id: appointment?.id ?? "" } },
        body: { slot_id: to.id, reason: reason.trim(), allow_other_site: to.site_id !== slot.site_id },
      }),
    { onSuccess: (moved) => onDone(m.done(slotWhen(moved.start_at, moved.end_at))), invalidates: [agendaKeys.consultations] },
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local: FieldError[] = [];
    if (!chosen) local.push({ field: "slot_id", msg: m.choose });
    if (!reason.trim()) local.push({ field: "reason", msg: m.reasonRequired });
    setErrors(local);
    if (chosen && local.length === 0) move.mutate(chosen);
  }

  const shown = errors.length > 0 ? errors : (move.error?.messages ?? []);
  return (
    <Modal title={m.title} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="ag-form">
        <p>{m.intro(appointment?.patient_label ?? agendaTexts.upcoming.noLabel, slotWhen(slot.start_at, slot.end_at))}</p>
        {shown.length > 0 ? <ErrorSummary title={m.failed} errors={shown} /> : null}
        <Loaded query={slots}>
          {() =>
            choices.length === 0 ? (
              <p className="notice notice-warning">{m.none}</p>
            ) : (
              <Field label={m.slot} hint={m.slotHint} error={fieldErrorIn(shown, "slot_id")}>
                {({ id, describedBy, invalid }) => (
                  <select
                    id={id}
                    aria-describedby={describedBy}
                    aria-invalid={invalid}
                    value={target ?? ""}
                    onChange={(e) => setTarget(e.target.value ? Number(e.target.value) : null)}
                  >
                    <option value="">—</option>
                    {choices.map((s) => (
                      <option key={s.id} value={s.id}>
                        {slotWhen(s.start_at, s.end_at)}
                        {s.site_id !== slot.site_id ? m.otherSite(siteName(me.sites, s.site_id)) : ""}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )
          }
        </Loaded>
        <InputField
          label={m.reason}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={300}
          error={fieldErrorIn(shown, "reason")}
        />
        <SubmitOrCancel
          busy={move.isPending}
          disabled={choices.length === 0}
          submit={m.submit}
          submitting={m.submitting}
          cancel={m.cancel}
          onCancel={onBack}
        />
      </form>
    </Modal>
  );
}
