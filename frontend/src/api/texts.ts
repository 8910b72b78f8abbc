/** The French messages of the data layer: what a failed call means for the person in front of it. */
export const apiTexts = {
  network: "Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.",
  fileNotSent:
    "Le fichier n'a pas pu être envoyé : le serveur ne répond pas, ou le fichier a été modifié depuis que vous l'avez choisi. Choisissez-le de nouveau puis réessayez.",
  sessionExpired: "Votre session a expiré. Reconnectez-vous pour continuer.",
  forbidden: "Vous n'avez pas accès à ces informations.",
  notFound: "Information introuvable.",
  server: "Le serveur a rencontré une erreur. Réessayez plus tard.",
  generic: "Le chargement a échoué.",
} as const;
