/** French strings of the protocol versions screens (coordination). */
export const protocolTexts = {
  title: "Protocole de tri",
  intro:
    "Le protocole qui guide le tri des demandes : signes d'alerte, motifs, questions, priorités. Déposez une nouvelle version, relisez les différences, puis publiez-la.",
  navLabel: "Protocole de tri",

  list: {
    title: "Versions",
    caption: "Versions du protocole, la plus récente en premier",
    number: "Version",
    titleColumn: "Titre",
    status: "Statut",
    author: "Auteur",
    created: "Déposée le",
    published: "Publiée le",
    note: "Note",
    actions: "Actions",
    view: "Examiner",
    viewLabel: (n: number) => `Examiner la version ${n}`,
    empty: "Aucune version.",
  },
  status: {
    draft: "Brouillon",
    published: "En vigueur",
    superseded: "Remplacée",
  },

  upload: {
    title: "Déposer une nouvelle version",
    intro:
      "Le document YAML complet du protocole. Il est vérifié au dépôt ; il n'entre en vigueur qu'une fois publié.",
    file: "Charger un fichier (.yaml, .yml, .json)",
    fromCurrent: "Partir du texte de la version en vigueur",
    text: "Texte du protocole (YAML)",
    note: "Note de version (facultatif)",
    noteHint: "Ce qui change et pourquoi, pour les relecteurs.",
    submit: "Déposer le brouillon",
    submitting: "Vérification…",
    errorsTitle: "Le document n'a pas été accepté",
    errorsIntro: (n: number) =>
      n === 1 ? "1 problème, avec son emplacement dans le document :" : `${n} problèmes, avec leur emplacement dans le document :`,
    wholeDocument: "Document",
    done: (n: number) => `Brouillon déposé : version ${n}. Relisez les différences avant de publier.`,
    fileError: "Le fichier n'a pas pu être lu.",
    item: (n: number) => `n° ${n}`,
  },

  version: {
    title: (n: number, status: string) => `Version ${n} (${status})`,
    diff: "Différences avec la version en vigueur",
    text: "Texte complet",
    diffCaption: (base: number | null, n: number) =>
      base === null ? `Version ${n}` : `Différences entre la version ${base} (en vigueur) et la version ${n}`,
    hunk: (oldLine: number, newLine: number) =>
      oldLine === newLine ? `Autour de la ligne ${newLine}` : `Autour de la ligne ${oldLine} (désormais ${newLine})`,
    identical: "Aucune différence avec la version en vigueur.",
    isCurrent: "C'est la version en vigueur.",
    added: "ajouté",
    removed: "supprimé",
    legend: "Lignes ajoutées en vert (+), supprimées en rouge (−).",
    publish: "Publier cette version",
    close: "Fermer",
  },

  publish: {
    title: (n: number) => `Publier la version ${n} ?`,
    body: (n: number, current: number | null) =>
      current === null
        ? `La version ${n} servira à tous les nouveaux tris.`
        : `La version ${n} remplacera la version ${current} pour tous les nouveaux tris. Les demandes déjà triées gardent la version qui les a triées.`,
    check: "Les médecins référents de la CPTS ont relu et validé cette version.",
    confirm: "Publier",
    cancel: "Annuler",
    publishing: "Publication…",
    done: (n: number) => `Version ${n} publiée : elle est désormais en vigueur.`,
  },
} as const;
