export const PROTOCOLS_PATH = "/coordination/protocole";
