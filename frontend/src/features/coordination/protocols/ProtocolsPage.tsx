/**
 * Protocol versions (/coordination/protocole), for the coordination and the regulators: the
 * list, uploading a YAML draft (problems shown with their place in the document), the diff
 * against the version in force and the clinical checks, the physician's approval (regulators,
 * with a reason; never the author: the server refuses it), then publishing an approved version.
 */
import { useState } from "react";

import { api, useApiQuery } from "../../../api";
import { formatDateTime } from "../../../shell/format";
import { EmptyState, Page } from "../../../shell/Page";
import { Button, DataTable, Loaded, Notice, type Column } from "../../../ui";
import type { Status, Summary } from "./model";
import { protocolKeys } from "./queryKeys";
import { protocolTexts as t } from "./texts";
import { UploadCard } from "./UploadCard";
import { VersionPanel } from "./VersionPanel";

import "./protocols.css";

export function ProtocolsPage() {
  const versions = useApiQuery(protocolKeys.list, (signal) => api.GET("/api/regulation/protocols", { signal }));
  const [selected, setSelected] = useState<number | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const current = versions.data?.items.find((v) => v.status === "published") ?? null;

  return (
    <Page title={t.title} intro={t.intro}>
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      <section className="card" aria-labelledby="versions-title">
        <h2 id="versions-title">{t.list.title}</h2>
        <Loaded query={versions}>
          {({ items }) =>
            items.length === 0 ? (
              <EmptyState>{t.list.empty}</EmptyState>
            ) : (
              <VersionTable versions={items} selected={selected} onSelect={setSelected} />
            )
          }
        </Loaded>
      </section>

      {selected !== null ? (
        <VersionPanel
          key={selected}
          number={selected}
          currentNumber={current?.number ?? null}
          onClose={() => setSelected(null)}
          onDone={setFlash}
        />
      ) : null}

      <UploadCard
        currentNumber={current?.number ?? null}
        onUploaded={(number) => {
          setFlash(t.upload.done(number));
          setSelected(number);
        }}
      />
    </Page>
  );
}

export function StatusTag({ status }: { status: Status }) {
  return <span className={`proto-status proto-status-${status}`}>{t.status[status]}</span>;
}

function VersionTable({
  versions,
  selected,
  onSelect,
}: {
  versions: readonly Summary[];
  selected: number | null;
  onSelect: (n: number) => void;
}) {
  const tl = t.list;
  const columns: Column<Summary>[] = [
    { key: "number", header: tl.number, rowHeader: true, cell: (v) => v.number },
    {
      key: "title",
      header: tl.titleColumn,
      cell: (v) => (
        <>
          {v.title}
          {v.note ? <span className="cell-sub">{v.note}</span> : null}
        </>
      ),
    },
    { key: "status", header: tl.status, cell: (v) => <StatusTag status={v.status} /> },
    { key: "author", header: tl.author, cell: (v) => v.author_name },
    { key: "created", header: tl.created, className: "nowrap", cell: (v) => formatDateTime(v.created_at) },
    {
      key: "approved",
      header: tl.approved,
      cell: (v) => (
        <>
          {v.approved_by_name ?? "—"}
          {v.approved_at ? <span className="cell-sub">{formatDateTime(v.approved_at)}</span> : null}
        </>
      ),
    },
    {
      key: "published",
      header: tl.published,
      className: "nowrap",
      cell: (v) => (v.published_at ? formatDateTime(v.published_at) : "—"),
    },
    {
      key: "actions",
      header: <span className="visually-hidden">{tl.actions}</span>,
      headerText: tl.actions,
      cell: (v) => (
        <Button
          size="small"
          onClick={() => onSelect(v.number)}
          aria-label={tl.viewLabel(v.number)}
          aria-pressed={selected === v.number}
        >
          {tl.view}
        </Button>
      ),
    },
  ];
  return (
    <DataTable
      caption={tl.caption}
      captionHidden
      columns={columns}
      rows={versions}
      rowKey={(v) => v.number}
      rowProps={(v) => ({ className: selected === v.number ? "row-selected" : undefined })}
    />
  );
}
