/**
 * The indicators feature's public surface: what other features may use (they import
 * "features/indicators", never its files). Pages are mounted by App.tsx. Kept light: no page,
 * no chart, no stylesheet, so importing it never pulls the dashboard's code.
 */
export { aciTexts } from "./aciTexts";
export { INDICATORS_PATHS } from "./paths";
export { indicatorsKeys } from "./queryKeys";
export { StatementYearSelect } from "./StatementYearSelect";
export { indicatorsTexts } from "./texts";
