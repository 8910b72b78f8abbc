/** Types of the protocol API (from the generated schema) and the reading of located errors. */
import type { ApiError, FieldError, Schemas } from "../../../api";
import { protocolTexts as t } from "./texts";

export type Summary = Schemas["ProtocolVersionSummary"];
export type Version = Schemas["ProtocolVersionOut"];
export type Status = Schemas["ProtocolStatus"];
export type Checks = Schemas["ProtocolChecksOut"];

/** `["body", "text", "motifs", 3, "rules", 0, "result"]` -> "motifs › n° 4 › rules › n° 1 › result". */
export function describeLocation(loc: readonly (string | number)[]): string {
  const parts = loc.slice(loc[0] === "body" ? 1 : 0);
  if (parts[0] === "text") parts.shift();
  if (parts.length === 0) return t.upload.wholeDocument;
  return parts.map((p) => (typeof p === "number" ? t.upload.item(p + 1) : String(p))).join(" › ");
}

/** The server's refusal of a document, each problem prefixed with its place in the document. */
export function locatedErrors(error: ApiError): FieldError[] {
  if (error.detail.length === 0) return [{ field: null, msg: error.message }];
  return error.detail.map((d) => ({ field: null, msg: `${describeLocation(d.loc)} : ${d.msg}` }));
}
