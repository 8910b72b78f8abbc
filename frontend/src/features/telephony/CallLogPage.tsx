/** The call log: every call of the line, newest first, numbers masked. */
import { useState } from "react";

import { api, useApiQuery, type Schemas } from "../../api";
import { formatDateTime } from "../../shell/format";
import { useLiveInvalidation } from "../../shell/live";
import { EmptyState, Page } from "../../shell/Page";
import { Button, DataTable, Loaded, type Column } from "../../ui";
import { telephonyKeys } from "./queryKeys";
import { formatSeconds, telephonyTexts } from "./texts";
import "./telephony.css";

const t = telephonyTexts.log;
const PAGE = 100;

type Call = Schemas["CallOut"];

const COLUMNS: readonly Column<Call>[] = [
  { key: "arrived", header: t.arrived, rowHeader: true, cell: (c) => formatDateTime(c.arrived_at) },
  { key: "direction", header: t.direction, cell: (c) => (c.direction === "callback" ? t.callback : t.inbound) },
  { key: "number", header: t.number, cell: (c) => c.number_masked },
  { key: "wait", header: t.wait, cell: (c) => formatSeconds(c.wait_seconds) },
  { key: "duration", header: t.duration, cell: (c) => formatSeconds(c.duration_seconds) },
  { key: "operator", header: t.operator, cell: (c) => c.operator_name ?? "—" },
  { key: "outcome", header: t.outcome, cell: (c) => c.outcome_label ?? "—" },
  { key: "request", header: t.request, cell: (c) => (c.request_id !== null ? `n° ${c.request_id}` : "—") },
];

export function CallLogPage() {
  const [offset, setOffset] = useState(0);
  const calls = useApiQuery(telephonyKeys.callList({ offset }), (signal) =>
    api.GET("/api/voice/calls", { params: { query: { limit: PAGE, offset } }, signal }),
  );
  useLiveInvalidation([telephonyKeys.calls], (message) => message.type === "voice.call_ended");
  return (
    <Page title={t.title} intro={t.intro}>
      <Loaded query={calls}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>{t.empty}</EmptyState>
          ) : (
            <>
              <DataTable caption={t.caption} columns={COLUMNS} rows={page.items} rowKey={(c) => c.id} />
              <div className="call-actions">
                {offset > 0 ? <Button onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t.newer}</Button> : null}
                {page.total > offset + page.items.length ? (
                  <Button onClick={() => setOffset(offset + PAGE)}>{t.more}</Button>
                ) : null}
              </div>
            </>
          )
        }
      </Loaded>
    </Page>
  );
}
