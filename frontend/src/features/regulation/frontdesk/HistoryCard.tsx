/** A request's « Demandes précédentes du patient »: same number, or same name and birth date. */
import { api, useApiQuery } from "../../../api";
import { Loaded } from "../../../ui";
import { regulationKeys } from "../queryKeys";
import { RequestsTable } from "./SearchPage";
import { frontDeskTexts } from "./texts";

const t = frontDeskTexts.history;

export function HistoryCard({ requestId }: { requestId: number }) {
  const history = useApiQuery(regulationKeys.history(requestId), (signal) =>
    api.GET("/api/regulation/requests/{request_id}/history", { params: { path: { request_id: requestId } }, signal }),
  );
  return (
    <section className="card" aria-labelledby="fd-history-title">
      <h2 id="fd-history-title">{t.title}</h2>
      <Loaded query={history}>
        {(rows) => (rows.length === 0 ? <p className="card-note">{t.none}</p> : <RequestsTable rows={rows} caption={t.caption} />)}
      </Loaded>
    </section>
  );
}
