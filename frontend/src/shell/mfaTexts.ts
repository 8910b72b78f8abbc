/** Texts of the strong login: second factor (TOTP) and Pro Santé Connect. */
export const mfaTexts = {
  code: {
    title: "Code de vérification",
    intro: "Saisissez le code à 6 chiffres affiché par votre application d'authentification (ou l'un de vos codes de secours).",
    label: "Code",
    hint: "6 chiffres, ou un code de secours de la forme abcd-efgh-jkmn.",
    required: "Saisissez le code affiché par votre application.",
    submit: "Valider",
    submitting: "Vérification…",
    errorTitle: "Le code n'a pas été accepté",
    restart: "Recommencer la connexion",
  },
  enrolment: {
    title: "Activer la double authentification",
    intro:
      "Votre profil donne accès à des données de santé : la connexion demande, en plus du mot de passe, un code à usage unique produit par une application d'authentification (FreeOTP, Google Authenticator, Microsoft Authenticator…).",
    scan: "1. Scannez ce code QR avec l'application :",
    qrAlt: "Code QR à scanner avec votre application d'authentification",
    manual: "Ou saisissez cette clé dans l'application :",
    secretLabel: "Clé secrète",
    confirm: "2. Saisissez le premier code affiché par l'application :",
    submit: "Activer",
    submitting: "Activation…",
    loading: "Préparation du code QR…",
    errorTitle: "L'activation a échoué",
  },
  recovery: {
    title: "Vos codes de secours",
    intro:
      "Notez ou imprimez ces 10 codes et gardez-les en lieu sûr : chacun permet une connexion sans votre téléphone, une seule fois. Ils ne seront plus jamais affichés.",
    listLabel: "Codes de secours",
    done: "J'ai noté mes codes, continuer",
  },
  psc: {
    or: "ou",
    button: "Se connecter avec Pro Santé Connect",
    hint: "Carte CPS ou e-CPS : réservé aux professionnels de santé dont le numéro RPPS est enregistré sur leur compte.",
    errors: {
      inconnu:
        "Connexion Pro Santé Connect refusée : aucun compte actif de la plateforme ne porte votre numéro RPPS. Demandez à la coordination de la CPTS de l'enregistrer sur votre compte.",
      expire: "La connexion Pro Santé Connect a expiré ou a déjà été utilisée : recommencez.",
      refus: "Pro Santé Connect n'a pas confirmé votre identité : recommencez.",
      indisponible: "Pro Santé Connect ne répond pas pour le moment : réessayez ou connectez-vous avec votre mot de passe.",
    } as Record<string, string>,
  },
} as const;

export const securityTexts = {
  link: "Sécurité du compte",
  title: "Sécurité du compte",
  cardTitle: "Double authentification",
  enrolled: "La double authentification est activée : chaque connexion demande, après le mot de passe, un code de votre application.",
  notEnrolledRequired: "La double authentification sera configurée à votre prochaine connexion.",
  notEnrolledOptional:
    "Votre profil n'accède à aucune donnée de patient : la double authentification ne vous est pas demandée, mais vous pouvez l'activer.",
  codesLeft: (n: number) => `Codes de secours restants : ${n} sur 10.`,
  enable: "Activer la double authentification",
  renew: "Générer de nouveaux codes de secours",
  renewing: "Génération…",
  renewHint: "Les anciens codes cessent de fonctionner.",
  errorTitle: "La génération a échoué",
} as const;
