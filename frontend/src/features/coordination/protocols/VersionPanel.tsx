/**
 * One version under review: its diff against the version in force, its clinical checks and its
 * full text; the approval (regulators) and publication (an approved version) actions.
 */
import { useEffect, useRef, useState } from "react";

import { api, useApiQuery } from "../../../api";
import { useUser } from "../../../shell/auth";
import { formatDateTime } from "../../../shell/format";
import { Button, Loaded } from "../../../ui";
import { ApproveDialog } from "./ApproveDialog";
import { ChecksPanel } from "./ChecksPanel";
import { DiffView } from "./DiffView";
import type { Version } from "./model";
import { PublishDialog } from "./PublishDialog";
import { protocolKeys } from "./queryKeys";
import { protocolTexts as t } from "./texts";

type Tab = "diff" | "checks" | "text";

export function VersionPanel({
  number,
  currentNumber,
  onClose,
  onDone,
}: {
  number: number;
  currentNumber: number | null;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const tv = t.version;
  const user = useUser();
  const [tab, setTab] = useState<Tab>("diff");
  const [dialog, setDialog] = useState<"approve" | "publish" | null>(null);
  const path = { params: { path: { number } } };
  const version = useApiQuery(protocolKeys.version(number), (signal) =>
    api.GET("/api/regulation/protocols/{number}", { ...path, signal }),
  );
  const diff = useApiQuery(protocolKeys.diff(number), (signal) =>
    api.GET("/api/regulation/protocols/{number}/diff", { ...path, signal }),
  );
  const checks = useApiQuery(protocolKeys.checks(number), (signal) =>
    api.GET("/api/regulation/protocols/{number}/checks", { ...path, signal }),
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const tabs: { id: Tab; label: string }[] = [
    { id: "diff", label: tv.diff },
    { id: "checks", label: tv.checks },
    { id: "text", label: tv.text },
  ];

  return (
    <section className="card version-panel" aria-labelledby="version-title">
      <Loaded query={version}>
        {(v) => (
          <>
            <div className="card-head">
              <h2 id="version-title" ref={heading} tabIndex={-1}>
                {tv.title(v.number, t.status[v.status])}
              </h2>
              <div className="inline-actions">
                {v.status === "draft" && user.role === "regulator" ? (
                  <Button variant="primary" size="small" onClick={() => setDialog("approve")}>
                    {tv.approve}
                  </Button>
                ) : null}
                {v.status === "approved" ? (
                  <Button variant="primary" size="small" onClick={() => setDialog("publish")}>
                    {tv.publish}
                  </Button>
                ) : null}
                <Button size="small" onClick={onClose}>
                  {tv.close}
                </Button>
              </div>
            </div>
            <p>
              <strong>{v.title}</strong>
              {v.note ? ` — ${v.note}` : ""}
            </p>
            <ApprovalInfo version={v} />
            <div className="tabs" role="tablist" aria-label={tv.title(v.number, t.status[v.status])}>
              {tabs.map((item) => (
                <button
                  key={item.id}
                  type="button"
                  role="tab"
                  aria-selected={tab === item.id}
                  className={tab === item.id ? "tab tab-active" : "tab"}
                  onClick={() => setTab(item.id)}
                >
                  {item.label}
                </button>
              ))}
            </div>
            {tab === "checks" ? (
              <Loaded query={checks}>{(c) => <ChecksPanel checks={c} draft={v.status === "draft"} />}</Loaded>
            ) : tab === "diff" ? (
              v.status === "published" ? (
                <p className="muted">{tv.isCurrent}</p>
              ) : (
                <Loaded query={diff}>{(d) => <DiffView diff={d.diff} base={d.base_number} number={d.number} />}</Loaded>
              )
            ) : (
              <pre className="yaml-text" tabIndex={0}>
                {v.text}
              </pre>
            )}
            {dialog === "approve" ? (
              <ApproveDialog
                version={v}
                approvable={checks.data?.approvable ?? false}
                onClose={() => setDialog(null)}
                onApproved={() => {
                  setDialog(null);
                  onDone(t.approve.done(v.number));
                }}
              />
            ) : null}
            {dialog === "publish" ? (
              <PublishDialog
                version={v}
                currentNumber={currentNumber}
                onClose={() => setDialog(null)}
                onPublished={() => {
                  setDialog(null);
                  onDone(t.publish.done(v.number));
                }}
              />
            ) : null}
          </>
        )}
      </Loaded>
    </section>
  );
}

/** Who approved (when, why) and who published; static text, not a live message. */
function ApprovalInfo({ version: v }: { version: Version }) {
  const tv = t.version;
  return (
    <div className="approval-info">
      {v.approved_by_name && v.approved_at ? (
        <p className="notice notice-success">
          {tv.approvedBy(v.approved_by_name, formatDateTime(v.approved_at), v.approval_reason ?? "")}
        </p>
      ) : v.status === "draft" ? (
        <p className="notice notice-info">{tv.waiting}</p>
      ) : v.published_by_name === "Système" ? (
        <p className="notice notice-warning">{tv.notApprovedDefault}</p>
      ) : null}
      {v.published_by_name && v.published_at ? (
        <p className="card-note">{tv.publishedBy(v.published_by_name, formatDateTime(v.published_at))}</p>
      ) : null}
    </div>
  );
}
