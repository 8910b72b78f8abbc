/**
 * The notifications feature's public surface: what other features may use (they import
 * "features/notifications", never its files). Pages are mounted by App.tsx.
 */
export { OperatorSmsPanels } from "./OperatorSmsPanels";
export { NOTIFICATIONS_PATHS } from "./paths";
export { notificationsTexts } from "./texts";
export { RequestSmsCard } from "./RequestSmsCard";
