/** The address of « Sécurité du compte » (the page itself is loaded on first visit). */
export const SECURITY_PATH = "/securite";
