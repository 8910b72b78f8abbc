/** Every text of the telephony screens (the line on the operator's console, demo page, call log). */

export const telephonyTexts = {
  nav: { demo: "Démo téléphone", log: "Journal d'appels" },
  panel: {
    title: "Ligne téléphonique",
    closed: "Ligne fermée (hors horaires) : les appels deviennent des rappels à faire.",
    presence: "Ma présence",
    phone: "Téléphone à faire sonner",
    phoneHint: "Poste, portable ou adresse SIP (sip:poste1@…).",
    available: "Disponible",
    away: "Absent",
    saving: "Enregistrement…",
    state: (label: string) => `Vous êtes : ${label}`,
    until: (time: string) => `(jusqu'à ${time})`,
    waitingTitle: "Appels en attente",
    noWaiting: "Aucun appel en attente.",
    waited: (wait: string) => `attend depuis ${wait}`,
    position: (n: number) => `n° ${n}`,
    take: "Prendre l'appel",
    taking: "Mise en relation…",
    known: (n: number) => (n === 1 ? "1 demande passée" : `${n} demandes passées`),
    openRequest: (id: number) => `demande n° ${id} ouverte`,
    referrer: (structure: string) => `adresseur : ${structure}`,
    unknown: "numéro inconnu",
    myCall: "Mon appel en cours",
    otherCalls: "Appels en cours",
    callWith: (number: string) => `En communication avec ${number}`,
    callBackTo: (number: string) => `Rappel de ${number}`,
    by: (name: string) => `par ${name}`,
    outcomeTitle: "Issue de l'appel",
    adviceOnly: "Conseil seul",
    wrongNumber: "Erreur de numéro",
    hangUp: "Raccrocher",
    tasksTitle: "Rappels à faire",
    noTasks: "Aucun appelant à rappeler.",
    since: (time: string) => `depuis ${time}`,
    calls: (n: number) => (n === 1 ? "1 appel" : `${n} appels`),
    callBack: "Rappeler",
    done: "Fait",
    operatorsTitle: "Opérateurs",
    bar: (presence: string, waiting: number, tasks: number) =>
      `Ligne : ${presence} · ${waiting === 0 ? "aucun appel en attente" : waiting === 1 ? "1 appel en attente" : `${waiting} appels en attente`}${tasks > 0 ? ` · ${tasks} à rappeler` : ""}`,
  },
  callBack: {
    button: "Rappeler par la ligne de la CPTS",
    busy: "Appel en cours…",
    started: "Votre téléphone sonne : décrochez, le patient sera appelé avec le numéro de la CPTS.",
  },
  demo: {
    title: "Démonstration de la ligne téléphonique",
    intro:
      "Mode console : aucun appel ne part. Cette page joue le rôle du réseau téléphonique : un appel sonne, l'appelant raccroche, le patient rappelé décroche ou non.",
    wrongBackend: "La ligne est reliée à Twilio : la simulation est désactivée.",
    sender: "Numéro de l'appelant",
    ring: "Faire sonner un appel",
    ringing: "Appel…",
    waitingTitle: "Appelants en attente",
    hangUp: "L'appelant raccroche",
    callbacksTitle: "Rappels en cours",
    answers: "Le patient décroche (2 min)",
    noAnswer: "Pas de réponse",
    busy: "Occupé",
    none: "Aucun.",
  },
  log: {
    title: "Journal d'appels",
    intro: "Chaque appel de la ligne : heures, attente, durée, opérateur et ce qu'il est devenu. Les numéros sont masqués.",
    caption: "Appels, les plus récents d'abord",
    arrived: "Arrivé",
    direction: "Sens",
    number: "Numéro",
    wait: "Attente",
    duration: "Durée",
    operator: "Opérateur",
    outcome: "Issue",
    request: "Demande",
    inbound: "Entrant",
    callback: "Rappel",
    empty: "Aucun appel.",
    more: "Appels plus anciens",
    newer: "Appels plus récents",
  },
  presence: {
    available: "Disponible",
    on_call: "En appel",
    wrap_up: "Fin d'appel",
    away: "Absent",
  } as Record<string, string>,
};

/** `3 min 05 s`, `45 s`. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  return `${minutes} min ${String(s % 60).padStart(2, "0")} s`;
}
