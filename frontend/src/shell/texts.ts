/** Every French string of the shell (login, layout, navigation, generic states), in one place. */
import { apiTexts } from "../api";
import type { Role } from "./roles";

export const shellTexts = {
  appName: "Soins non programmés",
  appShortName: "SNP",
  defaultCptsName: "CPTS",

  roles: {
    operator: "Opérateur·rice SNP",
    regulator: "Médecin régulateur",
    effector: "Effecteur (médecin)",
    referrer: "Orienteur (pharmacie, IDE, urgences)",
    sas_regulator: "Régulateur SAS",
    coordinator: "Coordination CPTS",
    funder: "Financeur (ARS, CPAM)",
  } satisfies Record<Role, string>,

  nav: {
    label: "Navigation principale",
    queue: "File d'attente",
    advice: "Demandes d'avis",
    agenda: "Mon agenda",
    orientations: "Mes orientations",
    sas: "Créneaux SAS",
    coordination: "Coordination",
  },

  skipLink: "Aller au contenu principal",
  logout: "Se déconnecter",
  loggingOut: "Déconnexion…",
  logoutFailed: "La déconnexion a échoué : le serveur ne répond pas. Réessayez.",
  connectedAs: "Connecté·e :",
  footer: "Plateforme d'orientation des soins non programmés de la CPTS",

  login: {
    pageTitle: "Connexion",
    intro: "Espace réservé aux professionnels de la CPTS.",
    email: "Adresse e-mail",
    emailHint: "L'adresse avec laquelle la coordination vous a inscrit·e.",
    password: "Mot de passe",
    forgotPassword: "Mot de passe oublié ?",
    showPassword: "Afficher le texte saisi",
    submit: "Se connecter",
    submitting: "Connexion en cours…",
    errorTitle: "La connexion a échoué",
    emailRequired: "Saisissez votre adresse e-mail.",
    passwordRequired: "Saisissez votre mot de passe.",
    genericError: "La connexion a échoué. Réessayez dans quelques instants.",
    networkError: "Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.",
    sessionExpired: "Votre session a expiré. Reconnectez-vous pour continuer.",
    loggedOut: "Vous êtes déconnecté·e.",
    emergency:
      "Urgence vitale (douleur thoracique, détresse respiratoire, signes d'AVC…) : appelez le 15.",
  },

  live: {
    lost: "Connexion perdue, reconnexion…",
  },

  loading: "Chargement…",
  loadingSession: "Vérification de la session…",

  forbidden: {
    title: "Accès réservé",
    body: "Cette page est réservée à un autre profil que le vôtre.",
    yourRole: "Votre profil :",
    back: "Retour à mon accueil",
  },
  notFound: {
    title: "Page introuvable",
    body: "L'adresse demandée ne correspond à aucune page.",
    back: "Retour à l'accueil",
  },
  crash: {
    title: "Une erreur inattendue est survenue",
    body: "La page n'a pas pu s'afficher. Rechargez-la ; si le problème persiste, prévenez la coordination.",
    reload: "Recharger la page",
  },

  errors: {
    ...apiTexts,
    retry: "Réessayer",
  },

  documentTitle: (page: string, cpts: string | null) =>
    cpts ? `${page} · ${cpts} · SNP` : `${page} · SNP`,
} as const;
