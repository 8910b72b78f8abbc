/**
 * The triage questions, driven by the protocol in force: red flags first (any "Oui" ends the
 * triage at once with the "call 15" alert and hides everything else), then the motif and its
 * questions. The red flags are those of the patient's age (every age's, labelled, while it is
 * not known); « tout Non » answers only the flags shown for a known age, and flags a new birth
 * date adds are shown unanswered and marked. Controlled: the page owns the answers, so nothing
 * is lost when the server refuses.
 */
import type { ReactNode } from "react";

import { Field, RadioGroup } from "../../ui";
import { Call15Alert } from "./components";
import {
  ageBandFor,
  ageInMonths,
  pendingAgeFlags,
  questionsFor,
  redFlagHit,
  redFlagsFor,
  redFlagsShown,
  riskFactorsFor,
  type Answers,
  type Motif,
  type ProtocolDocument,
  type Question,
  type RedFlag,
} from "./model";
import { regulationTexts } from "./texts";

const t = regulationTexts;
const YES_NO = [
  { value: true, label: t.labels.yes },
  { value: false, label: t.labels.no },
] as const;

export interface TriageFormProps {
  document: ProtocolDocument;
  protocolNumber: number;
  /** ISO date ("1980-02-03") or "" when not typed yet. */
  birthDate: string;
  motif: string;
  onMotifChange: (motif: string) => void;
  answers: Answers;
  onAnswersChange: (answers: Answers) => void;
  /** Server messages by field (`motif`, `answers.<question id>`). */
  errors: Record<string, string>;
  /** A red flag was just answered "Oui". */
  onRedFlag?: (flag: RedFlag) => void;
  /** Shown inside the "call 15" alert (recording state, buttons). */
  alertExtra?: ReactNode;
  idPrefix: string;
  /** When false, the motif list is not shown (the page shows it elsewhere). */
  showMotif?: boolean;
  /** When false, the page shows the "call 15" alert itself (e.g. across the whole page). */
  showAlert?: boolean;
  /** The patient's recorded sex: questions about the other sex are not asked (unknown: all). */
  sex?: string | null;
  /** A referrer's own red-flag answers, pre-filled by the page and marked on each flag. */
  referrerAnswers?: ReferrerAnswers | null;
}

/** The red-flag answers a referrer gave, and who gave them when (« Réponse du pharmacien (14:32) »). */
export interface ReferrerAnswers {
  answers: Record<string, boolean>;
  label: string;
}

export function useTriageContext(document: ProtocolDocument, birthDate: string, motif: string, sex?: string | null) {
  const band = ageBandFor(document, birthDate ? ageInMonths(birthDate) : null);
  const flags = redFlagsFor(document, band?.id ?? null, sex);
  const factors = riskFactorsFor(document, band?.id ?? null, sex);
  const currentMotif: Motif | null = document.motifs.find((m) => m.id === motif) ?? null;
  return { band, flags, factors, motif: currentMotif };
}

export function TriageForm({
  document,
  protocolNumber,
  birthDate,
  motif,
  onMotifChange,
  answers,
  onAnswersChange,
  errors,
  onRedFlag,
  alertExtra,
  idPrefix,
  showMotif = true,
  showAlert = true,
  sex,
  referrerAnswers,
}: TriageFormProps) {
  const { band, flags, factors, motif: currentMotif } = useTriageContext(document, birthDate, motif, sex);
  const hit = redFlagHit(document, answers);
  const shown = redFlagsShown(document, band?.id ?? null, sex);
  const pending = new Set(pendingAgeFlags(document, band?.id ?? null, answers, sex).map((f) => f.id));

  function answer(id: string, value: boolean | string) {
    onAnswersChange({ ...answers, [id]: value });
  }

  function answerFlag(flag: RedFlag, value: boolean) {
    answer(flag.id, value);
    if (value) onRedFlag?.(flag);
  }

  // Only once the age is known: then the flags shown are exactly the flags due at that age.
  function allNo() {
    if (!band) return;
    const next = { ...answers };
    for (const flag of flags) next[flag.id] = false;
    onAnswersChange(next);
  }

  function noRiskFactor() {
    const next = { ...answers };
    for (const factor of factors) next[factor.id] = false;
    onAnswersChange(next);
  }

  return (
    <div className="triage">
      <section className="triage-flags" aria-labelledby={`${idPrefix}-flags-title`}>
        <div className="triage-flags-head">
          <div>
            <h3 id={`${idPrefix}-flags-title`}>{t.triage.redFlagsTitle}</h3>
            <p className="field-hint">{t.triage.redFlagsIntro}</p>
          </div>
          {hit ? null : (
            <div className="flags-all-no">
              <button
                type="button"
                className="button button-secondary"
                onClick={allNo}
                disabled={!band}
                aria-describedby={band ? undefined : `${idPrefix}-flags-age`}
              >
                {t.triage.allNo}
              </button>
              {band ? null : (
                <p className="field-hint" id={`${idPrefix}-flags-age`}>
                  {t.triage.allNoNeedsAge}
                </p>
              )}
            </div>
          )}
        </div>
        <p className="field-hint flags-age">{band ? t.triage.ageBand(band.label) : t.triage.everyAge}</p>
        <div role="status" className="flags-pending">
          {pending.size > 0 ? <p className="notice notice-warning">{t.triage.pendingForAge(pending.size)}</p> : null}
        </div>
        {hit && showAlert ? (
          <Call15Alert reason={hit.reason} question={hit.question}>
            {alertExtra}
          </Call15Alert>
        ) : null}
        <div className="flag-list">
          {shown.map(({ flag, ages }) => (
            <RadioGroup
              key={flag.id}
              id={`${idPrefix}-answers.${flag.id}`}
              className={`flag-question${answers[flag.id] === true ? " flag-yes" : ""}${
                referrerAnswers && flag.id in referrerAnswers.answers ? " flag-from-referrer" : ""
              }${pending.has(flag.id) ? " flag-pending" : ""}`}
              hint={referrerHint(referrerAnswers, flag.id, answers[flag.id])}
              legend={
                <>
                  {/* Seen first; read last (the group's name starts with the reason). */}
                  {pending.has(flag.id) ? (
                    <span className="tag tag-pending" aria-hidden="true">
                      {t.triage.toAsk}
                    </span>
                  ) : null}
                  {ages ? (
                    <span className="tag tag-age" aria-hidden="true">
                      {ages}
                    </span>
                  ) : null}
                  <strong>{flag.reason}</strong> — {flag.question}
                  {ages || pending.has(flag.id) ? (
                    <span className="visually-hidden">
                      {" "}
                      ({[ages, pending.has(flag.id) ? t.triage.toAsk : null].filter(Boolean).join(", ")})
                    </span>
                  ) : null}
                </>
              }
              name={`${idPrefix}-${flag.id}`}
              options={YES_NO}
              value={typeof answers[flag.id] === "boolean" ? (answers[flag.id] as boolean) : null}
              onChange={(value) => answerFlag(flag, value)}
              error={errors[`answers.${flag.id}`]}
            />
          ))}
        </div>
      </section>

      {hit || factors.length === 0 ? null : (
        <section className="triage-risk" aria-labelledby={`${idPrefix}-risk-title`}>
          <div className="triage-flags-head">
            <div>
              <h3 id={`${idPrefix}-risk-title`}>{t.triage.riskFactorsTitle}</h3>
              <p className="field-hint">{t.triage.riskFactorsIntro}</p>
            </div>
            <button type="button" className="button button-secondary" onClick={noRiskFactor}>
              {t.triage.noRiskFactor}
            </button>
          </div>
          {factors.map((factor) => (
            <RadioGroup
              key={factor.id}
              id={`${idPrefix}-answers.${factor.id}`}
              legend={
                <>
                  <strong>{factor.label}</strong> — {factor.question}
                </>
              }
              name={`${idPrefix}-${factor.id}`}
              options={YES_NO}
              value={typeof answers[factor.id] === "boolean" ? (answers[factor.id] as boolean) : null}
              onChange={(value) => answer(factor.id, value)}
              error={errors[`answers.${factor.id}`]}
            />
          ))}
        </section>
      )}

      {hit ? null : (
        <section className="triage-motif" aria-labelledby={`${idPrefix}-motif-title`}>
          <h3 id={`${idPrefix}-motif-title`}>{t.triage.motifQuestions}</h3>
          {showMotif ? (
            <Field id={`${idPrefix}-motif`} label={t.intake.motif} error={errors.motif}>
              {({ id, describedBy, invalid }) => (
                <select
                  id={id}
                  value={motif}
                  onChange={(event) => onMotifChange(event.target.value)}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                >
                  <option value="">{t.intake.motifPlaceholder}</option>
                  {document.motifs.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          {currentMotif ? (
            questionsFor(currentMotif, sex).map((question) => (
              <QuestionInput
                key={question.id}
                idPrefix={idPrefix}
                question={question}
                value={answers[question.id]}
                onChange={(value) => answer(question.id, value)}
                error={errors[`answers.${question.id}`]}
              />
            ))
          ) : (
            <p className="field-hint">{t.triage.chooseMotif}</p>
          )}
          <p className="card-note">{t.triage.protocol(protocolNumber)}</p>
        </section>
      )}
    </div>
  );
}

/** « Réponse du pharmacien (14:32) : Non », and « modifiée » once the operator changed it. */
function referrerHint(referrer: ReferrerAnswers | null | undefined, id: string, current: unknown): string | null {
  const given = referrer?.answers[id];
  if (referrer == null || given === undefined) return null;
  const said = `${referrer.label} : ${given ? t.labels.yes : t.labels.no}`;
  return typeof current === "boolean" && current !== given ? `${said} — ${t.triage.referrerChanged}` : said;
}

function QuestionInput({
  idPrefix,
  question,
  value,
  onChange,
  error,
}: {
  idPrefix: string;
  question: Question;
  value: boolean | string | undefined;
  onChange: (value: boolean | string) => void;
  error: string | undefined;
}) {
  const legend = (
    <>
      {question.text}
      {question.required === false ? <span className="muted"> {t.triage.optional}</span> : null}
    </>
  );
  if (question.kind === "choice") {
    const choices = (question.choices ?? []).map((c) => ({ value: c.id, label: c.label }));
    return (
      <RadioGroup
        id={`${idPrefix}-answers.${question.id}`}
        legend={legend}
        hint={question.help}
        name={`${idPrefix}-${question.id}`}
        options={choices}
        value={typeof value === "string" ? value : null}
        onChange={onChange}
        error={error}
        inline={choices.length <= 3}
      />
    );
  }
  return (
    <RadioGroup
      id={`${idPrefix}-answers.${question.id}`}
      legend={legend}
      hint={question.help}
      name={`${idPrefix}-${question.id}`}
      options={YES_NO}
      value={typeof value === "boolean" ? value : null}
      onChange={onChange}
      error={error}
    />
  );
}
