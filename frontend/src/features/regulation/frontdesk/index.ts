/** The front desk inside regulation: search, open-request warning, history, appointments. */
export { AppointmentsCard } from "./AppointmentsCard";
export { HistoryCard } from "./HistoryCard";
export { OpenMatchesNotice } from "./OpenMatchesNotice";
export { deName, frontDeskTexts } from "./texts";
export { AlertsSwitch, DEFAULT_VIEW, QueueControls, useArrivalAlerts, viewOf, type QueueView } from "./QueueControls";
export { TransferReason } from "./TransferReason";
export { transferPreview } from "./transferPreview";
