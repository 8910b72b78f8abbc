/** Query keys of the shell (see src/api/query.ts for the convention). */
export const shellKeys = {
  territory: ["shell", "territory"],
  passwordReset: (token: string) => ["shell", "password-reset", token] as const,
  invitation: (token: string) => ["shell", "invitation", token] as const,
} as const;
