/** The front desk inside regulation: search, open-request warning, history, appointments. */
export { AppointmentsCard } from "./AppointmentsCard";
export { HistoryCard } from "./HistoryCard";
export { OpenMatchesNotice } from "./OpenMatchesNotice";
export { deName, frontDeskTexts } from "./texts";
