/**
 * One request (/regulation/demandes/:id): who handles it, the triage (form or result), the
 * booking (candidates), call-backs to the patient, closing with an outcome, and its history.
 * Re-fetched live whenever the server says this request changed.
 */
import { useParams } from "react-router";

import { api, useApiQuery } from "../../../api";
import { useLiveInvalidation } from "../../../shell/live";
import { Page } from "../../../shell/Page";
import { Loaded } from "../../../ui";
import { patientName } from "../QueueTable";
import { regulationKeys } from "../queryKeys";
import { regulationTexts } from "../texts";
import { RequestView } from "./RequestView";

const td = regulationTexts.detail;

/** What a page sends back to the console when leaving (a success line to show there). */
export interface BackState {
  flash?: string;
}

export function RequestPage() {
  const requestId = Number(useParams().requestId);
  const key = regulationKeys.request(requestId);
  const query = useApiQuery(key, (signal) =>
    api.GET("/api/regulation/requests/{request_id}", { params: { path: { request_id: requestId } }, signal }),
  );
  useLiveInvalidation([key], (message) => message.type.startsWith("request.") && message.request_id === requestId);

  return (
    <Page title={query.data ? td.title(patientName(query.data)) : td.loadingTitle}>
      <Loaded query={query}>{(request) => <RequestView request={request} />}</Loaded>
    </Page>
  );
}
