/** A SAS regulator's own bookings made here, with cancellation (pushed to the platform). */
import { useState, type FormEvent } from "react";

import { api, useApiMutation, useApiQuery, type Schemas } from "../../api";
import { EmptyState, Page } from "../../shell/Page";
import { Button, DataTable, ErrorSummary, InputField, Loaded, Modal, Notice, type Column } from "../../ui";
import { formatWhen } from "../regulation";
import { sasKeys } from "./queryKeys";
import { TermsGate } from "./TermsGate";
import { sasTexts } from "./texts";

const t = sasTexts.bookings;
type Booking = Schemas["SasMyBookingOut"];

export function SasBookingsPage() {
  return (
    <Page title={t.title} intro={t.intro}>
      <TermsGate>
        <Bookings />
      </TermsGate>
    </Page>
  );
}

function Bookings() {
  const bookings = useApiQuery(sasKeys.bookings, (signal) => api.GET("/api/sas/bookings", { signal }));
  const [cancelling, setCancelling] = useState<Booking | null>(null);
  const [done, setDone] = useState(false);
  const columns: Column<Booking>[] = [
    { key: "when", header: t.when, rowHeader: true, cell: (b) => formatWhen(b.start_at) },
    {
      key: "effector",
      header: t.effector,
      cell: (b) => (b.effector ? `Dr ${b.effector.given_name} ${b.effector.family_name}` : "—"),
    },
    {
      key: "status",
      header: t.status,
      cell: (b) => (
        <>
          {t.statuses[b.status] ?? b.status}
          {b.awaiting_rebooking ? ` (${t.awaiting})` : ""}
        </>
      ),
    },
    {
      key: "actions",
      header: t.actions,
      cell: (b) =>
        b.status === "booked" ? (
          <Button size="small" variant="danger" onClick={() => setCancelling(b)} aria-label={`${t.cancel} ${formatWhen(b.start_at)}`}>
            {t.cancel}
          </Button>
        ) : null,
    },
  ];
  return (
    <>
      {done ? <Notice tone="success">{t.cancelled}</Notice> : null}
      <Loaded query={bookings}>
        {(rows) =>
          rows.length === 0 ? (
            <EmptyState>{t.empty}</EmptyState>
          ) : (
            <DataTable caption={t.caption} captionHidden columns={columns} rows={rows} rowKey={(b) => b.appointment_id} />
          )
        }
      </Loaded>
      {cancelling ? (
        <CancelDialog
          booking={cancelling}
          onClose={() => setCancelling(null)}
          onDone={() => {
            setCancelling(null);
            setDone(true);
          }}
        />
      ) : null}
    </>
  );
}

function CancelDialog({ booking, onClose, onDone }: { booking: Booking; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const cancel = useApiMutation(
    () =>
      api.POST("/api/sas/bookings/{appointment_id}/cancel", {
        params: { path: { appointment_id: booking.appointment_id } },
        body: { reason },
      }),
    { invalidates: [sasKeys.bookings], onSuccess: onDone },
  );
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    cancel.mutate();
  }
  return (
    <Modal title={`${t.cancelTitle} — ${formatWhen(booking.start_at)}`} onClose={onClose}>
      <ErrorSummary title={t.errorTitle} error={cancel.error} />
      <form onSubmit={onSubmit} noValidate>
        <InputField
          label={t.reason}
          error={cancel.error?.fieldError("reason")}
          type="text"
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <div className="form-actions">
          <Button type="submit" variant="danger" busy={cancel.isPending}>
            {cancel.isPending ? t.cancelling : t.confirmCancel}
          </Button>
          <Button onClick={onClose}>{t.close}</Button>
        </div>
      </form>
    </Modal>
  );
}
