/**
 * The editor's terms of use, accepted once per version before any SAS page is usable. The
 * server refuses the SAS routes until then (403); this gate shows the text and records the
 * acceptance, then shows the page.
 */
import type { ReactNode } from "react";

import { api, useApiMutation, useApiQuery } from "../../api";
import { Card } from "../../shell/Page";
import { Button, ErrorSummary, Loaded } from "../../ui";
import { sasKeys } from "./queryKeys";
import { sasTexts } from "./texts";

const t = sasTexts.terms;

export function TermsGate({ children }: { children: ReactNode }) {
  const terms = useApiQuery(sasKeys.terms, (signal) => api.GET("/api/sas/terms", { signal }));
  const accept = useApiMutation((version: string) => api.POST("/api/sas/terms/accept", { body: { version } }), {
    invalidates: [sasKeys.all],
  });
  return (
    <Loaded query={terms}>
      {(current) =>
        current.accepted ? (
          children
        ) : (
          <Card title={t.heading} id="sas-terms">
            <p className="page-intro">{t.intro}</p>
            <ErrorSummary title={t.errorTitle} error={accept.error} />
            <h3>{current.title}</h3>
            <p className="field-hint">{t.version(current.version)}</p>
            <div className="sas-terms-text">
              {current.text.split("\n\n").map((paragraph) => (
                <p key={paragraph.slice(0, 40)}>{paragraph}</p>
              ))}
            </div>
            <div className="form-actions">
              <Button variant="primary" size="large" busy={accept.isPending} onClick={() => accept.mutate(current.version)}>
                {accept.isPending ? t.accepting : t.accept}
              </Button>
            </div>
          </Card>
        )
      }
    </Loaded>
  );
}
