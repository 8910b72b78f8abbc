/** Every text of the patients' rights page (French). */
export const privacyTexts = {
  nav: "Droits des patients",
  title: "Droits des patients",
  intro:
    "Répondre à une demande d'accès, de rectification ou d'effacement : retrouvez la personne, choisissez ses demandes, puis exportez, corrigez ou effacez. Chaque action est tracée avec son motif.",
  search: {
    title: "Retrouver la personne",
    help: "Nom et date de naissance, ou numéro de téléphone (ou les deux).",
    familyName: "Nom",
    givenName: "Prénom (facultatif)",
    birthDate: "Date de naissance",
    phone: "Téléphone",
    reason: "Motif de la démarche",
    reasonHint:
      "Par exemple « demande d'accès reçue par courrier, réf. DA-2026-07 ». Il est conservé dans le journal d'audit : n'y mettez ni le nom ni le numéro du patient.",
    submit: "Rechercher",
    submitting: "Recherche…",
    errorTitle: "La recherche n'a pas pu être faite",
  },
  results: {
    title: "Demandes trouvées",
    caption: "Demandes enregistrées pour cette personne",
    none: "Aucune demande ne correspond (les demandes déjà pseudonymisées ne contiennent plus d'identité).",
    severalPeople:
      "Ces demandes nomment plusieurs personnes (numéro partagé ?) : cochez seulement celles de la personne qui exerce ses droits.",
    select: (id: number) => `Choisir la demande n° ${id}`,
    chosen: "Choisie",
    number: "N°",
    received: "Reçue le",
    name: "Nom",
    birthDate: "Naissance",
    phone: "Téléphone",
    status: "État",
    erasure: "Effacement",
    erasable: "Possible",
    actions: "Actions",
    correct: "Corriger",
    correctLabel: (id: number) => `Corriger l'identité de la demande n° ${id}`,
    phoneSms: (count: number) =>
      count === 0
        ? "Aucun SMS reçu de ce numéro hors demande."
        : `${count} SMS reçu(s) de ce numéro hors demande (inclus dans l'export et l'effacement).`,
    phoneCalls: (count: number) =>
      count === 0
        ? "Aucun appel de ce numéro dans le journal des appels."
        : `${count} appel(s) de ce numéro dans le journal des appels (inclus dans l'export ; le numéro est effacé avec la personne).`,
    optedOut: "Ce numéro a répondu STOP : l'opposition est conservée même après un effacement.",
    includePhone: "Inclure les SMS de ce numéro non rattachés à une demande",
  },
  status: {
    received: "Reçue",
    waiting: "En attente",
    claimed: "En cours",
    oriented: "Orientée",
    closed: "Close",
    redirected_15: "Orientée vers le 15",
  } as Record<string, string>,
  actions: {
    title: "Répondre à la demande",
    selection: (count: number) =>
      count === 0 ? "Aucune demande choisie." : `${count} demande(s) choisie(s).`,
    exportDocument: "Exporter le document (HTML)",
    exportJson: "Exporter les données (JSON)",
    exporting: "Export…",
    exported: "Export téléchargé et tracé dans le journal d'audit.",
    erase: "Effacer…",
    errorTitle: "L'action n'a pas pu être faite",
  },
  correct: {
    title: (id: number) => `Rectifier la demande n° ${id}`,
    intro:
      "Seuls les champs modifiés sont enregistrés. Une demande close peut être corrigée ; si un rendez-vous est encore à venir, la date de naissance et le sexe ne changent qu'après son annulation.",
    familyName: "Nom",
    givenName: "Prénom",
    birthDate: "Date de naissance",
    sex: "Sexe",
    sexes: { female: "Féminin", male: "Masculin", undetermined: "Non précisé" } as Record<string, string>,
    phone: "Téléphone portable",
    address: "Adresse",
    reason: "Motif de la rectification",
    submit: "Enregistrer la correction",
    submitting: "Enregistrement…",
    cancel: "Annuler",
    saved: (id: number) => `Demande n° ${id} corrigée.`,
    nothing: "Aucun champ n'a changé.",
    errorTitle: "La correction n'a pas pu être enregistrée",
  },
  erase: {
    title: "Effacer les données de la personne",
    intro:
      "Les demandes choisies sont pseudonymisées tout de suite (comme à la fin de la durée de conservation) : nom, téléphone, adresse, notes et SMS sont effacés ; les statistiques anonymes restent. C'est définitif.",
    reason: "Motif de l'effacement",
    submit: "Effacer définitivement",
    submitting: "Effacement…",
    cancel: "Annuler",
    done: (count: number, sms: number, calls: number) =>
      `Effacement fait : ${count} demande(s) pseudonymisée(s), ${sms} SMS effacé(s), numéro effacé de ${calls} appel(s) ou rappel(s).`,
    kept: "Conservé, et pourquoi :",
    errorTitle: "L'effacement a été refusé",
  },
} as const;
