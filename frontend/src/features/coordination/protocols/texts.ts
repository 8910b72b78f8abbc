/** French strings of the protocol versions screens (coordination). */
export const protocolTexts = {
  title: "Protocole de tri",
  intro:
    "Le protocole qui guide le tri des demandes : signes d'alerte, facteurs de risque, motifs, questions, priorités. Une nouvelle version est déposée en brouillon, relue (différences et tests cliniques), approuvée par un médecin régulateur autre que son auteur, puis publiée.",
  navLabel: "Protocole de tri",

  list: {
    title: "Versions",
    caption: "Historique du protocole (la plus récente en premier)",
    number: "Version",
    titleColumn: "Titre",
    status: "Statut",
    author: "Auteur",
    created: "Déposée le",
    approved: "Approuvée par",
    published: "Publiée le",
    note: "Note",
    actions: "Actions",
    view: "Examiner",
    viewLabel: (n: number) => `Examiner la version ${n}`,
    empty: "Aucune version.",
  },
  status: {
    draft: "Brouillon",
    approved: "Approuvée",
    published: "En vigueur",
    superseded: "Remplacée",
  },

  upload: {
    title: "Déposer une nouvelle version",
    intro:
      "Le document YAML complet du protocole, avec ses vignettes (cas cliniques de contrôle). Il est vérifié au dépôt ; il n'entre en vigueur qu'une fois approuvé par un médecin régulateur puis publié.",
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
    done: (n: number) => `Brouillon déposé : version ${n}. Un médecin régulateur doit le relire et l'approuver.`,
    fileError: "Le fichier n'a pas pu être lu.",
    seeAbove: "Voir les problèmes signalés au-dessus.",
    item: (n: number) => `n° ${n}`,
  },

  version: {
    title: (n: number, status: string) => `Version ${n} (${status})`,
    diff: "Différences avec la version en vigueur",
    checks: "Tests cliniques",
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
    approve: "Approuver cette version",
    close: "Fermer",
    waiting: "En attente de l'approbation d'un médecin régulateur (autre que l'auteur de la version).",
    approvedBy: (name: string, when: string, reason: string) => `Approuvée par ${name} le ${when} : « ${reason} »`,
    notApprovedDefault: "Protocole par défaut livré avec la plateforme : il n'a pas été approuvé par un médecin de la CPTS.",
    publishedBy: (name: string, when: string) => `Publiée par ${name} le ${when}.`,
  },

  checks: {
    region: "Résultats des tests cliniques",
    approvable: "Tous les tests passent : la version peut être approuvée.",
    allPass: "Tous les tests passent.",
    notApprovable: "La version ne peut pas être approuvée tant que ces tests échouent.",
    propertyTitle: "Aucun signe d'alerte en file d'attente",
    propertyHolds: (n: number) => `Vérifié : aucun chemin avec un signe d'alerte n'aboutit à la file d'attente (${n} cas examinés).`,
    propertyFails: (bad: number, n: number) => `${bad} cas sur ${n} mettraient un signe d'alerte en file d'attente :`,
    vignettesTitle: "Vignettes cliniques",
    vignettesSummary: (passed: number, total: number) =>
      total === 0 ? "Aucune vignette : la version ne peut pas être approuvée." : `${passed} vignette(s) réussie(s) sur ${total}.`,
    coverageTitle: "Couverture insuffisante :",
    caption: "Vignettes cliniques de la version : cas, attendu, résultat du protocole",
    verdict: "Verdict",
    case: "Cas",
    expected: "Attendu",
    outcome: "Résultat du protocole",
    passed: "Réussie",
    failed: "Échouée",
  },

  approve: {
    title: (n: number) => `Approuver la version ${n} ?`,
    body: "En tant que médecin, vous approuvez cette version après avoir relu ses différences avec la version en vigueur et les résultats de ses tests cliniques. Votre nom, la date et votre motif sont conservés.",
    notApprovable: "Les tests cliniques de cette version échouent : elle ne peut pas être approuvée.",
    reason: "Motif de l'approbation",
    reasonHint: "Au moins 10 caractères : par exemple la réunion des médecins référents qui l'a validée.",
    check: "J'ai relu les différences et les résultats des tests cliniques.",
    confirm: "Approuver",
    approving: "Approbation…",
    cancel: "Annuler",
    errorTitle: "La version n'a pas été approuvée",
    done: (n: number) => `Version ${n} approuvée : elle peut être publiée.`,
  },

  publish: {
    title: (n: number) => `Publier la version ${n} ?`,
    body: (n: number, current: number | null) =>
      current === null
        ? `La version ${n} servira à tous les nouveaux tris.`
        : `La version ${n} remplacera la version ${current} pour tous les nouveaux tris. Les demandes déjà triées gardent la version qui les a triées.`,
    confirm: "Publier",
    cancel: "Annuler",
    publishing: "Publication…",
    errorTitle: "La version n'a pas été publiée",
    done: (n: number) => `Version ${n} publiée : elle est désormais en vigueur.`,
  },
} as const;
