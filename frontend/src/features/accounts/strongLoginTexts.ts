/** Texts of the accounts page's strong-login column (second factor and RPPS). */
export const strongLoginTexts = {
  header: "Connexion forte",
  enrolled: "Double authentification activée",
  notEnrolled: "Double authentification non activée",
  reset: "Réinitialiser la double authentification",
  resetShort: "Réinitialiser",
  resetConfirm: (name: string) =>
    `Réinitialiser la double authentification de ${name} ? Ses sessions sont fermées ; à sa prochaine connexion, il ou elle configurera une nouvelle application.`,
  resetDone: (name: string) => `Double authentification de ${name} réinitialisée : nouvelle configuration à la prochaine connexion.`,
  rpps: "RPPS",
  rppsNone: "RPPS : —",
  rppsEdit: "Modifier le RPPS",
  rppsTitle: (name: string) => `Numéro RPPS de ${name}`,
  rppsLabel: "Numéro RPPS (11 chiffres)",
  rppsHint: "Permet la connexion avec Pro Santé Connect (carte CPS ou e-CPS). Laissez vide pour l'ôter.",
  save: "Enregistrer",
  saving: "Enregistrement…",
  cancel: "Annuler",
  errorTitle: "La modification a échoué",
  confirmTitle: "Réinitialiser la double authentification",
} as const;
