/** The first-start setup: its page, the gate that sends visitors there, its address. */
export { SETUP_PATH } from "./paths";
export { SetupGate } from "./SetupGate";
