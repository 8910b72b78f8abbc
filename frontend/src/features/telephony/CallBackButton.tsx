/** « Rappeler » on a request: my phone rings first, then the patient's with the CPTS number. */
import { api, useApiMutation } from "../../api";
import { Button, Notice } from "../../ui";
import { telephonyKeys } from "./queryKeys";
import { telephonyTexts } from "./texts";

const t = telephonyTexts.callBack;

export function CallBackButton({ requestId }: { requestId: number }) {
  const call = useApiMutation(
    () => api.POST("/api/voice/callbacks", { body: { request_id: requestId } }),
    { invalidates: [telephonyKeys.board] },
  );
  return (
    <div className="call-back">
      <Button block busy={call.isPending} onClick={() => call.mutate()} data-testid="call-back">
        {call.isPending ? t.busy : t.button}
      </Button>
      {call.isSuccess ? <Notice tone="info">{t.started}</Notice> : null}
      {call.error ? <Notice tone="error">{call.error.message}</Notice> : null}
    </div>
  );
}

/** After the request is created from a taken call: the call says what it became. */
export async function linkCallToRequest(callId: number, requestId: number): Promise<void> {
  await api.POST("/api/voice/calls/{call_id}/outcome", {
    params: { path: { call_id: callId } },
    body: { outcome: "request_created", request_id: requestId },
  });
}
