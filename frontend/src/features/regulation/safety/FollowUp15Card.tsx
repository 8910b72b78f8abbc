/**
 * The regulators' follow-up of the calls sent to the 15: those whose transfer is not recorded
 * come first. Re-fetched live when a request changes.
 */
import { Link } from "react-router";

import { api, useApiQuery } from "../../../api";
import { formatDateTime } from "../../../shell/format";
import { useLiveInvalidation } from "../../../shell/live";
import { Card, EmptyState } from "../../../shell/Page";
import { Loaded } from "../../../ui";
import { REQUEST_PATH } from "../paths";
import { regulationKeys } from "../queryKeys";
import { safetyTexts } from "./texts";

const t = safetyTexts.followUp;
const KEY = regulationKeys.followUp15;

export function FollowUp15Card() {
  const query = useApiQuery(KEY, (signal) => api.GET("/api/regulation/follow-up", { signal }));
  useLiveInvalidation([KEY], (message) => message.type.startsWith("request."));
  return (
    <Card title={t.title} id="suivi-15">
      <Loaded query={query}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>{t.empty}</EmptyState>
          ) : (
            <>
              <p className="card-note">{t.intro(page.days)}</p>
              <div className="table-scroll" data-testid="follow-up-15">
                <table>
                  <caption className="visually-hidden">{t.caption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.patient}</th>
                      <th scope="col">{t.reason}</th>
                      <th scope="col">{t.when}</th>
                      <th scope="col">{t.transfer}</th>
                      <th scope="col">
                        <span className="visually-hidden">{t.open}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((item) => (
                      <tr key={item.id}>
                        <th scope="row">
                          {item.family_name.toUpperCase()} {item.given_name}
                          <span className="cell-sub">{item.age_label}</span>
                        </th>
                        <td>{item.red_flag_text ?? "—"}</td>
                        <td>{item.closed_at ? formatDateTime(item.closed_at) : "—"}</td>
                        <td>
                          {item.transfer_recorded ? (
                            <>
                              {item.transfer_15_label}
                              <span className="cell-sub">
                                {item.transfer_15_at ? formatDateTime(item.transfer_15_at) : ""} · {item.transfer_15_by_name}
                              </span>
                            </>
                          ) : (
                            <strong className="tag tag-alert">{safetyTexts.transfer.missing}</strong>
                          )}
                        </td>
                        <td>
                          <Link to={REQUEST_PATH(item.id)}>{t.open}</Link>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )
        }
      </Loaded>
    </Card>
  );
}
