/** « Sécurité du compte »: whether the second factor is on, recovery codes left, new codes. */
import { useState } from "react";

import { api, useApiMutation, useApiQuery } from "../api";
import { Button, ErrorSummary, Loaded, Notice } from "../ui";
import { useAuth } from "./auth";
import { mfaTexts, securityTexts as t } from "./mfaTexts";
import { Card, Page } from "./Page";
import { OwnEnrolment } from "./SecondFactorScreen";

const statusKey = ["auth", "mfa"] as const;

export function SecurityPage() {
  const status = useApiQuery(statusKey, (signal) => api.GET("/api/auth/mfa", { signal }));
  const renew = useApiMutation(() => api.POST("/api/auth/mfa/recovery-codes"), { invalidates: [statusKey] });
  const { completeLogin } = useAuth();
  const [enrolling, setEnrolling] = useState(false);
  const begin = useApiMutation(() => api.POST("/api/auth/mfa/self-enrolment"), { onSuccess: () => setEnrolling(true) });
  return (
    <Page title={t.title}>
      <Card title={t.cardTitle} id="double-authentification">
        <Loaded query={status}>
          {(s) =>
            s.enrolled ? (
              <>
                <p>{t.enrolled}</p>
                <p>{t.codesLeft(s.recovery_codes_left)}</p>
                <ErrorSummary title={t.errorTitle} error={renew.error} />
                {renew.data ? (
                  <>
                    <Notice tone="warning">{mfaTexts.recovery.intro}</Notice>
                    <ol className="recovery-codes" aria-label={mfaTexts.recovery.listLabel}>
                      {renew.data.recovery_codes.map((code) => (
                        <li key={code}>
                          <code>{code}</code>
                        </li>
                      ))}
                    </ol>
                  </>
                ) : null}
                <p className="field-hint">{t.renewHint}</p>
                <Button busy={renew.isPending} onClick={() => renew.mutate()}>
                  {renew.isPending ? t.renewing : t.renew}
                </Button>
              </>
            ) : enrolling ? (
              <OwnEnrolment
                onDone={(user) => {
                  setEnrolling(false);
                  completeLogin(user);
                }}
                onCancel={() => setEnrolling(false)}
              />
            ) : (
              <>
                <p>{s.required ? t.notEnrolledRequired : t.notEnrolledOptional}</p>
                <ErrorSummary title={t.errorTitle} error={begin.error} />
                {s.required ? null : (
                  <Button busy={begin.isPending} onClick={() => begin.mutate()}>
                    {t.enable}
                  </Button>
                )}
              </>
            )
          }
        </Loaded>
      </Card>
    </Page>
  );
}
