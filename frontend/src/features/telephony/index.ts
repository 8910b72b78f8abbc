/**
 * The telephony feature's public surface: what other features may use (they import
 * "features/telephony", never its files). Pages are mounted by App.tsx.
 */
export { CallBackButton, linkCallToRequest } from "./CallBackButton";
export { LineHealthCard } from "./LineHealthCard";
export { PhoneLineBar, PhoneLinePanel } from "./PhoneLinePanel";
export { TELEPHONY_PATHS } from "./paths";
export { telephonyTexts } from "./texts";
