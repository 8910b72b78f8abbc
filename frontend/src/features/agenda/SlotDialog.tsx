/** The slot dialog: open a slot (or several), see one, change it, delete it. */
import { useState, type FormEvent } from "react";

import { api, asApiError, fieldErrorIn, unwrap, useApiMutation, type FieldError, type Schemas } from "../../api";
import { ErrorSummary, Field, InputField, Modal } from "../../ui";
import { SiteField, siteName, type EffectorProfile } from "./me";
import { agendaTexts } from "./texts";
import { dateTimeAt, paris, parisDate, parisTime, parisToIso, slotWhen, splitRange, todayInParis } from "./time";
import { Actions, CheckboxGroup } from "./ui";

type Slot = Schemas["SlotOut"];
type Kind = Slot["kinds"][number];
type Visibility = Slot["visibility"][number];

export type SlotDialogState =
  | { mode: "create"; start: string | null; end: string | null }
  | { mode: "details"; slot: Slot }
  | { mode: "edit"; slot: Slot }
  | { mode: "delete"; slot: Slot };

const KINDS: readonly Kind[] = ["AMB", "HH", "VR"];
const VISIBILITIES: readonly Visibility[] = ["SNP", "CPTS", "PRO", "PUBLIC"];
const SPLITS = [0, 15, 20, 30] as const;

export const kindOptions = KINDS.map((k) => ({ value: k, label: agendaTexts.kinds[k], hint: agendaTexts.kindsHint[k] }));
export const visibilityOptions = VISIBILITIES.map((v) => ({ value: v, label: agendaTexts.visibility[v] }));

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
      return <SlotDetails me={me} slot={state.slot} onClose={onClose} onChange={onChange} />;
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
        <ErrorSummary title={f.errorTitle} errors={errors} />
        <div className="ag-row">
          <InputField
            label={f.date}
            error={fieldErrorIn(errors, "start_at")}
            className="ag-grow"
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            disabled={timesLocked}
            required
          />
          <Field label={f.start}>
            {({ id }) => (
              <input id={id} type="time" step={300} value={startTime} onChange={(e) => setStartTime(e.target.value)} disabled={timesLocked} required />
            )}
          </Field>
          <InputField
            label={f.end}
            error={fieldErrorIn(errors, "end_at")}
            type="time"
            step={300}
            value={endTime}
            onChange={(e) => setEndTime(e.target.value)}
            disabled={timesLocked}
            required
          />
        </div>
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
        <SiteField label={f.site} sites={me.sites} value={siteId} onChange={setSiteId} error={fieldErrorIn(errors, "site_id")} />
        <CheckboxGroup legend={f.kinds} options={kindOptions} value={kinds} onChange={setKinds} error={fieldErrorIn(errors, "kinds")} />
        <CheckboxGroup
          legend={f.visibility}
          hint={f.visibilityHint}
          options={visibilityOptions}
          value={visibility}
          onChange={setVisibility}
          error={fieldErrorIn(errors, "visibility")}
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
          error={fieldErrorIn(errors, "reason")}
          type="text"
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <Actions>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? f.submitting : slot ? f.submitEdit : pieces.length > 1 ? f.submitCreateMany(pieces.length) : f.submitCreate}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            {f.cancel}
          </button>
        </Actions>
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
}: {
  me: EffectorProfile;
  slot: Slot;
  onClose: () => void;
  onChange: (state: SlotDialogState) => void;
}) {
  const d = agendaTexts.slotDetails;
  const past = paris(slot.end_at).toMillis() <= Date.now();
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
      <Actions>
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
