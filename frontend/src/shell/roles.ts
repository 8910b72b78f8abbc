/** Roles as the API names them, and where each one lands after login. */
import type { Schemas } from "../api";
import { shellTexts } from "./texts";

export type User = Schemas["UserOut"];
export type Role = User["role"];

export const ROLE_HOME: Record<Role, string> = {
  operator: "/regulation",
  regulator: "/regulation/avis",
  effector: "/agenda",
  referrer: "/orientations",
  sas_regulator: "/sas",
  coordinator: "/coordination",
  funder: "/financement",
};

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLE_HOME, value);
}

/** French label of a role; the raw value for a role this build does not know. */
export function roleLabel(value: string): string {
  return isRole(value) ? shellTexts.roles[value] : value;
}
