/**
 * « Se connecter avec Pro Santé Connect » under the login form, shown only when the server has
 * it configured; and, back from a refused PSC login (`?erreur_psc=…`), why it was refused.
 */
import { useSearchParams } from "react-router";

import { api, useApiQuery } from "../api";
import { Notice } from "../ui";
import { mfaTexts } from "./mfaTexts";

const t = mfaTexts.psc;
const PSC_LOGIN_URL = "/api/auth/psc/login";

export function ProSanteConnect() {
  const [params] = useSearchParams();
  const offered = useApiQuery(["auth", "psc"], (signal) => api.GET("/api/auth/psc", { signal }), { staleTime: Infinity });
  const reason = params.get("erreur_psc");
  const refusal = reason ? (t.errors[reason] ?? t.errors.refus) : null;
  return (
    <>
      {refusal ? <Notice tone="error">{refusal}</Notice> : null}
      {offered.data?.enabled ? (
        <div className="login-alternative">
          <p>{t.or}</p>
          {/* A full-page navigation: the server redirects the browser to Pro Santé Connect. */}
          <a className="button button-secondary button-block" href={PSC_LOGIN_URL}>
            {t.button}
          </a>
          <p className="field-hint">{t.hint}</p>
        </div>
      ) : null}
    </>
  );
}
