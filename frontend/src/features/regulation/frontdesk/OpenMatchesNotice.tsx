/**
 * The intake's warning: the number, or the family name and birth date, typed so far already
 * have an open request (a patient calling back). Asked once the number looks complete or the
 * name and birth date are both there; the operator opens the existing request instead.
 */
import { Link } from "react-router";

import { api, useApiQuery } from "../../../api";
import { Notice } from "../../../ui";
import { formatWhen } from "../model";
import { REQUEST_PATH } from "../paths";
import { regulationKeys } from "../queryKeys";
import { stateLabel } from "./SearchPage";
import { frontDeskTexts } from "./texts";

const t = frontDeskTexts.matches;

function completePhone(value: string): string | null {
  const digits = value.replace(/\D/g, "");
  return digits.length >= 10 ? value.trim() : null;
}

export function OpenMatchesNotice({
  phone,
  familyName,
  birthDate,
}: {
  phone: string;
  familyName: string;
  birthDate: string;
}) {
  const number = completePhone(phone);
  const identity = familyName.trim() && /^\d{4}-\d{2}-\d{2}$/.test(birthDate);
  const query = {
    ...(number ? { phone: number } : {}),
    ...(identity ? { family_name: familyName.trim(), birth_date: birthDate } : {}),
  };
  const asked = Boolean(number || identity);
  const matches = useApiQuery(
    regulationKeys.openMatches(query),
    (signal) => api.GET("/api/regulation/requests/open-matches", { params: { query }, signal }),
    { enabled: asked, staleTime: 10_000 },
  );
  const found = asked ? (matches.data ?? []) : [];
  if (found.length === 0) return null;
  return (
    <Notice tone="warning" block>
      <p>
        <strong>{t.title}</strong>
      </p>
      <p>{t.intro}</p>
      <ul>
        {found.map((r) => (
          <li key={r.id}>
            <Link to={REQUEST_PATH(r.id)}>
              {t.item(`${r.family_name.toUpperCase()} ${r.given_name}`, formatWhen(r.received_at), stateLabel(r))}
            </Link>
          </li>
        ))}
      </ul>
    </Notice>
  );
}
