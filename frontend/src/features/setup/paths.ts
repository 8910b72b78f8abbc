/** The first-start page (public while the platform has no CPTS and no account). */
export const SETUP_PATH = "/installation";
