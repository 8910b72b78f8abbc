/** French strings of the front desk: search, closed requests, patient history, appointments. */
import type { Schemas } from "../../../api";

type CancelledBy = NonNullable<Schemas["RequestAppointment"]["cancelled_by"]>;
type AppointmentState = Schemas["RequestAppointment"]["status"];
type Kind = Schemas["RequestAppointment"]["kind"];

/** "de Marie", "d'Agathe", "d'Hélène": French elision before a vowel or an h ("de Yann"). */
export function deName(name: string): string {
  return /^[aeiouhàâäéèêëîïôöùûüœæ]/i.test(name.trim()) ? `d'${name}` : `de ${name}`;
}

export const frontDeskTexts = {
  transfer: {
    title: (who: string, when: string) => `Transférée au médecin régulateur par ${who} (${when}) :`,
    noNote: "Aucun message laissé par l'opérateur.",
    rowLabel: "Motif du transfert : ",
  },
  queue: {
    legend: "Filtrer et trier la file",
    priority: "Priorité",
    origin: "Origine",
    all: "Toutes",
    untriaged: "À trier",
    calls: "Appels de patients",
    referrals: "Orientations de professionnels",
    order: "Ordre",
    orders: {
      urgency: "Urgence (par défaut)",
      waiting: "Attente la plus longue",
      deadline: "Échéance la plus proche",
      patient: "Nom du patient",
    },
    freeOnly: "Libres seulement",
    alerts: "Son et notification à chaque nouvelle demande",
    notificationTitle: "Nouvelle demande dans la file",
    hidden: (n: number) => (n === 1 ? "1 demande masquée par les filtres" : `${n} demandes masquées par les filtres`),
  },
  search: {
    nav: "Rechercher",
    title: "Rechercher une demande",
    intro:
      "Un patient rappelle ? Retrouvez ses demandes, en cours ou terminées, par son nom, son téléphone ou sa date de naissance.",
    form: "Critères de recherche",
    name: "Nom de famille",
    nameHint: "Le début du nom suffit.",
    phone: "Téléphone",
    birthDate: "Date de naissance",
    scope: "Demandes",
    scopes: { all: "Toutes", open: "En cours", closed: "Terminées" } satisfies Record<Schemas["Scope"], string>,
    submit: "Rechercher",
    clear: "Effacer",
    results: "Résultats",
    caption: "Demandes trouvées",
    count: (n: number) => (n === 0 ? "Aucune demande" : n === 1 ? "1 demande" : `${n} demandes`),
    empty: "Aucune demande ne correspond. Vérifiez l'orthographe ou cherchez par téléphone.",
    latest: "Les plus récentes d'abord.",
    patient: "Patient",
    born: "Né·e le",
    phoneColumn: "Téléphone",
    received: "Reçue",
    motif: "Motif",
    state: "État",
    previous: "Précédentes",
    next: "Suivantes",
    range: (from: number, to: number, total: number) => `${from} à ${to} sur ${total}`,
  },
  matches: {
    title: "Ce patient a peut-être déjà une demande en cours",
    intro: "Même numéro, ou même nom et même date de naissance : ouvrez-la plutôt que d'en créer une autre.",
    item: (name: string, received: string, state: string) => `${name} — reçue ${received} — ${state}`,
  },
  history: {
    title: "Demandes précédentes du patient",
    none: "Aucune autre demande pour ce numéro ou cette identité.",
    caption: "Autres demandes du patient",
  },
  appointments: {
    title: "Rendez-vous",
    current: "Rendez-vous pris",
    when: "Quand",
    who: "Avec",
    where: "Où",
    kind: {
      AMB: "Consultation au cabinet",
      HH: "Visite à domicile",
      VR: "Téléconsultation",
    } satisfies Record<Kind, string>,
    noPlace: "Sans lieu (téléconsultation)",
    practitionerPhone: "Tél. du cabinet",
    earlier: "Rendez-vous précédents",
    state: {
      booked: "Pris",
      cancelled: "Annulé",
      fulfilled: "Patient vu",
      noshow: "Patient absent",
      to_rebook: "À replanifier",
    } satisfies Record<AppointmentState, string>,
    cancelledBy: {
      patient: "par le patient",
      effector: "par le praticien",
      operator: "par un opérateur",
      regulator: "par un médecin régulateur",
      coordinator: "par la coordination",
      sas: "par le SAS",
    } satisfies Record<CancelledBy, string>,
    cancel: "Annuler le rendez-vous",
    cancelTitle: "Annuler le rendez-vous",
    cancelIntro:
      "Le patient et le praticien sont prévenus par SMS. La demande revient dans la file « à replanifier » : les signes d'alerte seront reposés avant un nouveau rendez-vous.",
    reason: "Motif de l'annulation",
    byPatient: "À la demande du patient",
    confirm: "Annuler le rendez-vous",
    keep: "Garder le rendez-vous",
    cancelling: "Annulation…",
    errorTitle: "L'annulation n'a pas abouti",
    move: "Déplacer le rendez-vous",
    moveTitle: "Déplacer le rendez-vous",
    moveIntro: (who: string) =>
      `Un autre créneau libre de ${who}. Le patient et le praticien sont prévenus par SMS ; l'ancien créneau redevient libre.`,
    moveSlot: "Nouveau créneau",
    moveSlotHint: (until: string) => `Créneaux libres jusqu'au ${until} (délai fixé au tri).`,
    moveNone:
      "Aucun autre créneau libre de ce praticien dans le délai : annulez le rendez-vous pour en chercher un autre.",
    otherSite: (site: string) => ` — autre lieu : ${site}`,
    moveReason: "Motif du déplacement",
    moveChoose: "Choisissez un créneau.",
    moveReasonRequired: "Indiquez le motif du déplacement.",
    moveConfirm: "Déplacer",
    moving: "Déplacement…",
    moveBack: "Garder l'heure actuelle",
    moveErrorTitle: "Le rendez-vous n'a pas été déplacé",
    moved: (when: string) => `Rendez-vous déplacé au ${when} : le patient et le praticien sont prévenus par SMS.`,
    cancelled: "Rendez-vous annulé : le patient et le praticien sont prévenus. La demande est à replanifier.",
  },
};
