/**
 * The agenda feature's public surface: what other features may use (they import
 * "features/agenda", never its files). Pages are mounted by App.tsx. Importing it brings the
 * agenda's stylesheet, which the coordination screens share.
 */
import "./agenda.css";

export { AppointmentOutcomeCard, ConsultationLogCard, UnreportedConsultations } from "./ConsultationLog";
export { agendaKeys } from "./queryKeys";
export { agendaTexts } from "./texts";
export { dateTimeAt, inHoursIso, nowIso, paris, shortDateTime } from "./time";
export { Actions, FilePicker } from "./ui";
