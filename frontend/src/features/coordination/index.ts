/** What other features may reach of the coordination's pages: their addresses. */
export { COORDINATION_PATHS, effectorPath } from "./paths";
