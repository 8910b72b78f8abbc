/** The clinical safety parts of the regulation pages (issue 13): public entry of this folder. */
export { CorrectDetails } from "./CorrectDetails";
export { FollowUp15Card } from "./FollowUp15Card";
export { RegulatorDecisionCard, RegulatorDecisionNote } from "./RegulatorDecisionCard";
export { SafetyNotices } from "./SafetyNotices";
export { Transfer15Card } from "./Transfer15Card";
