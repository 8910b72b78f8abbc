/**
 * Coordinators' « Lien SAS »: the health of the appointment pushes to the national platform
 * (last success, queue), the pushes it refused with its answer and a replay. (SAS regulators who
 * forgot their password use « Mot de passe oublié » on the login page: a link by e-mail.)
 */
import { useState } from "react";

import { api, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { Card, EmptyState, Page } from "../../shell/Page";
import { Button, DataTable, ErrorSummary, Loaded, Notice, type Column } from "../../ui";
import { formatWhen } from "../regulation";
import { sasKeys } from "./queryKeys";
import { sasTexts } from "./texts";
import "./sas.css";

const t = sasTexts.link;
type Status = Schemas["SasLinkStatusOut"];
type Refused = Schemas["SasRefusedPushOut"];

export function SasLinkPage() {
  const status = useApiQuery(sasKeys.link, (signal) => api.GET("/api/sas/link", { signal }));
  return (
    <Page title={t.title} intro={t.intro}>
      <Loaded query={status}>{(data) => <LinkView status={data} />}</Loaded>
    </Page>
  );
}

function LinkView({ status }: { status: Status }) {
  const [replayed, setReplayed] = useState<number | null>(null);
  const replayAll = useApiMutation(() => api.POST("/api/sas/link/refused/replay"), {
    invalidates: [sasKeys.link],
    onSuccess: (data) => setReplayed(data.replayed),
  });
  const replayOne = useApiMutation(
    (id: number) => api.POST("/api/sas/link/refused/{push_id}/replay", { params: { path: { push_id: id } } }),
    { invalidates: [sasKeys.link], onSuccess: (data) => setReplayed(data.replayed) },
  );
  const columns: Column<Refused>[] = [
    { key: "appointment", header: t.appointment, rowHeader: true, cell: (r) => <code>{r.appointment}</code> },
    {
      key: "carried",
      header: t.carried,
      cell: (r) => `${r.method} · ${r.status}${r.start ? ` · ${formatWhen(r.start)}` : ""}`,
    },
    { key: "answer", header: t.answer, cell: (r) => <pre className="sas-answer">{r.answer ?? r.error ?? ""}</pre> },
    { key: "refused", header: t.refusedAt, cell: (r) => (r.refused_at ? formatWhen(r.refused_at) : "—") },
    {
      key: "replay",
      header: t.replay,
      cell: (r) => (
        <Button size="small" busy={replayOne.isPending && replayOne.variables === r.id} onClick={() => replayOne.mutate(r.id)}>
          {t.replay}
        </Button>
      ),
    },
  ];
  return (
    <>
      <ErrorSummary title={t.errorTitle} error={replayAll.error ?? replayOne.error} />
      {replayed !== null ? <Notice tone="success">{t.replayed(replayed)}</Notice> : null}
      <Card title={t.stateHeading} id="sas-link-state">
        <dl className="sas-recap">
          <dt>{t.platform}</dt>
          <dd>{status.configured ? <code>{status.platform_url}</code> : t.notConfigured}</dd>
          <dt>{t.certificate}</dt>
          <dd>{status.client_certificate ? t.certificateYes : t.certificateNo}</dd>
          <dt>{t.lastSuccess}</dt>
          <dd>{status.last_success_at ? formatWhen(status.last_success_at) : t.never}</dd>
          <dt>{t.queue}</dt>
          <dd>
            {status.queue_length > 0 && status.waiting_since
              ? t.queueSince(status.queue_length, formatWhen(status.waiting_since))
              : t.queueEmpty}
          </dd>
          {status.last_error ? (
            <>
              <dt>{t.lastError}</dt>
              <dd>{status.last_error}</dd>
            </>
          ) : null}
        </dl>
      </Card>
      <Card title={t.refusedHeading} id="sas-link-refused">
        {status.refused.length === 0 ? (
          <EmptyState>{t.refusedEmpty}</EmptyState>
        ) : (
          <>
            <p className="page-intro">{t.refusedIntro}</p>
            <DataTable caption={t.caption} captionHidden columns={columns} rows={status.refused} rowKey={(r) => r.id} />
            <div className="form-actions">
              <Button variant="primary" busy={replayAll.isPending} onClick={() => replayAll.mutate()}>
                {replayAll.isPending ? t.replaying : t.replayAll}
              </Button>
            </div>
          </>
        )}
      </Card>
    </>
  );
}
