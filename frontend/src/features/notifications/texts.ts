/** Every text of the notifications screens (SMS demo page, operators' alerts and broadcasts). */

const STATUS: Record<string, string> = {
  queued: "En attente",
  sending: "En cours d'envoi",
  sent: "Envoyé",
  delivered: "Distribué",
  failed: "Échec",
  undeliverable: "Non distribuable",
  suppressed: "Non envoyé (volontaire)",
};

const AUDIENCE: Record<string, string> = {
  patient: "Patient",
  effector: "Effecteur",
  referrer: "Adresseur",
};

const TEMPLATE: Record<string, string> = {
  effecteur_rdv: "Nouveau RDV (effecteur)",
  effecteur_annulation: "Annulation (effecteur)",
  effecteur_a_reprogrammer: "À replanifier (effecteur)",
  effecteur_rdv_deplace: "Rendez-vous déplacé (effecteur)",
  effecteur_programme: "Programme du jour (effecteur)",
  patient_rdv_cabinet: "Confirmation au cabinet",
  patient_rdv_domicile: "Confirmation de visite à domicile",
  patient_rdv_teleconsultation: "Confirmation de téléconsultation",
  patient_rappel: "Rappel",
  patient_annulation: "Annulation (patient)",
  patient_annulation_confirmee: "Annulation confirmée",
  patient_a_reprogrammer: "À replanifier (patient)",
  patient_rdv_deplace: "Rendez-vous déplacé (patient)",
  patient_enquete: "Enquête de satisfaction",
  reponse_stop: "Réponse à STOP",
  reponse_start: "Réponse à START",
  reponse_aucun_rdv: "Réponse : aucun RDV",
  reponse_incomprise: "Réponse : message non compris",
  reponse_enquete: "Remerciement (enquête)",
  diffusion_offre: "Diffusion : offre",
  diffusion_attribuee: "Diffusion : patient confié",
  diffusion_attribuee_rdv: "Diffusion : patient confié avec RDV",
  diffusion_deja_prise: "Diffusion : déjà pris",
  diffusion_code_inconnu: "Diffusion : code inconnu",
  referent_rdv: "Issue de l'adressage : RDV",
  referent_issue: "Issue de l'adressage",
};

const STEP: Record<string, string> = {
  gp: "médecin traitant",
  nearby: "effecteurs proches",
  cpts: "toute la CPTS",
};

export const notificationsTexts = {
  nav: "Messages SMS",
  demo: {
    title: "Messages SMS (démonstration)",
    intro:
      "Les SMS que la plateforme envoie (ou enverrait) : en mode console, rien ne quitte la machine. " +
      "La liste se met à jour toute seule.",
    link: "Voir les messages SMS (démonstration)",
    tableCaption: "Messages SMS, les plus récents d'abord",
    filters: "Filtrer les messages",
    status: "État",
    audience: "Destinataire",
    all: "Tous",
    empty: "Aucun message pour ces critères.",
    total: (n: number) => (n > 1 ? `${n} messages` : `${n} message`),
    columns: {
      at: "Créé le (heure de Paris)",
      recipient: "Destinataire",
      template: "Modèle",
      body: "Texte",
      status: "État",
      attempts: "Essais",
      error: "Dernière erreur",
    },
    segments: (n: number, encoding: string) => `${n} SMS · ${encoding}`,
    essential: "essentiel",
    refresh: "Actualiser",
    inbound: {
      title: "Simuler une réponse par SMS",
      intro:
        "Tapez la réponse comme si le téléphone l'avait envoyée : ANNULER (le patient annule son prochain RDV), " +
        "STOP, START, OUI suivi du code d'une diffusion (et d'une heure, par ex. OUI 4821 14h30), ou une note de 1 à 5.",
      sender: "Numéro de l'expéditeur",
      body: "Texte du SMS",
      send: "Simuler la réception",
      sending: "Envoi…",
      done: (keyword: string | null, outcome: string) =>
        `Réponse traitée${keyword ? ` (${keyword})` : ""} : ${OUTCOME[outcome] ?? outcome}.`,
      pick: "Répondre depuis ce numéro",
    },
  },
  alerts: {
    title: "SMS non distribués : à appeler",
    intro: "Ces messages essentiels n'arriveront pas : prévenez la personne par téléphone, puis marquez l'alerte traitée.",
    empty: "Aucun SMS en échec.",
    call: (who: string) => `Appeler ${who}`,
    about: {
      appointment: "RDV du",
      request: "Demande n°",
    },
    acknowledge: "Marquer traité",
    acknowledging: "…",
    acknowledged: "Alerte traitée.",
  },
  broadcasts: {
    title: "Diffusions SMS en cours",
    empty: "Aucune diffusion ces dernières 24 heures.",
    caption: "Diffusions SMS aux effecteurs volontaires",
    request: (id: number | null) => (id === null ? "Sans demande" : `Demande n° ${id}`),
    step: (step: string | null) => (step ? `Étape : ${STEP[step] ?? step}` : "Diffusion manuelle"),
    targets: (n: number) => (n > 1 ? `${n} effecteurs sollicités` : `${n} effecteur sollicité`),
    answers: (n: number) => (n > 1 ? `${n} réponses` : n === 1 ? "1 réponse" : "aucune réponse"),
    open: (until: string) => `En attente d'une réponse (jusqu'à ${until})`,
    taken: (who: string | null) => `Pris par ${who ?? "un effecteur"}`,
    booked: (when: string) => `RDV posé à ${when}`,
    toAgree: "Heure à convenir avec l'effecteur",
    closed: "Close sans réponse",
    code: (code: string) => `code ${code}`,
  },
  requestSms: {
    title: "SMS de la demande",
    none: "Aucun SMS envoyé pour cette demande.",
    to: (audience: string, number: string) => `À : ${audience} (${number})`,
    failed: (why: string) => `Non distribué : ${why}`,
    text: "Texte du message",
  },
  status: (value: string) => STATUS[value] ?? value,
  audience: (value: string) => AUDIENCE[value] ?? value,
  template: (value: string) => TEMPLATE[value] ?? value,
  statusOptions: Object.keys(STATUS),
  audienceOptions: Object.keys(AUDIENCE),
} as const;

const OUTCOME: Record<string, string> = {
  opted_out: "numéro désinscrit (STOP)",
  opted_in: "numéro réinscrit",
  cancelled: "RDV annulé, créneau libéré, effecteur prévenu",
  no_appointment: "aucun RDV à venir pour ce numéro",
  broadcast_booked: "patient confié et RDV posé",
  broadcast_won: "patient confié, heure à convenir",
  broadcast_late: "déjà pris par un confrère",
  broadcast_already_won: "déjà confié à ce numéro",
  broadcast_unknown: "code inconnu",
  satisfaction_recorded: "note de satisfaction enregistrée",
  not_understood: "message non compris, montré aux opérateurs",
  not_understood_red_flag: "message non compris avec mots d'alerte : alerte urgente aux opérateurs",
  duplicate: "déjà reçu",
};
