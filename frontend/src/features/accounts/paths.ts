/** Addresses of the go-live pages of the coordination (App.tsx mounts them). */
export const ACCOUNTS_PATH = "/coordination/utilisateurs";
export const CPTS_IDENTITY_PATH = "/coordination/cpts";
