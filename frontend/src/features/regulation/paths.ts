/** Addresses of the regulation pages (declared in App.tsx). */
export const CONSOLE_PATH = "/regulation";
export const INTAKE_PATH = "/regulation/appel";
export const REGULATOR_PATH = "/regulation/avis";
export const REQUEST_ROUTE = "/regulation/demandes/:requestId";
export const REQUEST_PATH = (id: number) => `/regulation/demandes/${id}`;
export const REFERRALS_PATH = "/orientations";
export const NEW_REFERRAL_PATH = "/orientations/nouvelle";
export const REFERRAL_ROUTE = "/orientations/:referralId";
export const REFERRAL_PATH = (id: number) => `/orientations/${id}`;
export const SEARCH_PATH = "/regulation/recherche";
/** The coordinator's supervision of the queue (regulators may read it too). */
export const SUPERVISION_PATH = "/coordination/supervision";
