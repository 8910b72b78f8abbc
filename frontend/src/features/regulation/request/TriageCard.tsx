/** The triage: the form while it is to do (or redone), else its result. */
import { useState } from "react";

import { Loading } from "../../../ui";
import type { ProtocolCurrent, RequestOut } from "../model";
import { regulationTexts } from "../texts";
import { RequestTriageForm } from "./RequestTriageForm";
import { TriageResult } from "./TriageResult";

const t = regulationTexts;

export function TriageCard({
  request,
  protocol,
  canAct,
  justCreated,
}: {
  request: RequestOut;
  protocol: ProtocolCurrent | null;
  canAct: boolean;
  justCreated: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [advice, setAdvice] = useState<string | null>(null);
  const triaged = request.triaged_at !== null;

  if (!protocol) return <Loading />;
  const showForm = canAct && (!triaged || editing);

  return (
    <section className="card" aria-labelledby="tri-title">
      <div className="card-head">
        <h2 id="tri-title">{showForm ? t.triage.title : t.result.title}</h2>
        {triaged && canAct ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setEditing((e) => !e)}>
            {editing ? t.triage.cancelRetriage : t.triage.retriage}
          </button>
        ) : null}
      </div>
      {showForm ? (
        <RequestTriageForm
          request={request}
          protocol={protocol}
          onDone={(result) => {
            setAdvice(result);
            setEditing(false);
          }}
        />
      ) : triaged ? (
        <TriageResult request={request} protocol={protocol} advice={advice} highlight={justCreated} />
      ) : (
        <p className="muted">{t.labels.untriagedLong}</p>
      )}
    </section>
  );
}
