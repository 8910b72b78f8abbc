/** French strings of the agenda feature (effectors' slots, availability, calendars). */
// `\u00a0` is a no-break space: French typography before : ; ? ! and inside « ».
import type { Schemas } from "../../api/client";

type Kind = Schemas["SlotOut"]["kinds"][number];
type Visibility = Schemas["SlotOut"]["visibility"][number];
type SlotState = Schemas["SlotOut"]["status"];

const plural = (n: number, one: string, many: string) => (n > 1 ? many : one);

export const agendaTexts = {
  tabs: {
    label: "Sections de l'agenda",
    week: "Semaine",
    availability: "Disponibilités et absences",
    calendars: "Calendriers (ICS)",
  },

  kinds: {
    AMB: "Cabinet",
    HH: "Visite à domicile",
    VR: "Téléconsultation",
  } satisfies Record<Kind, string>,
  kindsHint: {
    AMB: "le patient vient au cabinet",
    HH: "vous vous déplacez chez le patient",
    VR: "consultation vidéo",
  } satisfies Record<Kind, string>,
  visibility: {
    SNP: "Régulation SNP",
    CPTS: "Professionnels de la CPTS",
    PRO: "Autres professionnels",
    PUBLIC: "Public",
  } satisfies Record<Visibility, string>,
  states: {
    free: "Libre",
    held: "En cours de réservation",
    booked: "Réservé",
  } satisfies Record<SlotState, string>,
  weekdays: {
    MO: ["Lun.", "Lundi"],
    TU: ["Mar.", "Mardi"],
    WE: ["Mer.", "Mercredi"],
    TH: ["Jeu.", "Jeudi"],
    FR: ["Ven.", "Vendredi"],
    SA: ["Sam.", "Samedi"],
    SU: ["Dim.", "Dimanche"],
  } as Record<string, readonly [string, string]>,

  notLinked: {
    title: "Compte non relié",
    body: "Votre compte n'est relié à aucune fiche de l'annuaire des effecteurs. Demandez à la coordination de la CPTS de le rattacher.",
  },
  noSite: "Aucun lieu de consultation n'est enregistré pour vous\u00a0: demandez à la coordination d'en ajouter un.",

  effectorHome: {
    title: "Mon agenda SNP",
    intro: "Les créneaux de soins non programmés que vous ouvrez à la CPTS et les patients qui y sont orientés. Heures de Paris.",
    help: "Sélectionnez une plage horaire dans le calendrier (ou utilisez «\u00a0Ajouter un créneau\u00a0») pour ouvrir un créneau. Faites glisser un créneau libre pour le déplacer, étirez-le pour changer sa durée\u00a0; cliquez sur un créneau pour le voir, le modifier ou le supprimer.",
    add: "Ajouter un créneau",
    calendarLabel: "Calendrier de la semaine",
    legend: "Légende",
    legendBooked: "Réservé (patient inscrit)",
    legendHeld: "En cours de réservation",
    legendFree: "Libre",
    lockedHint: "Les créneaux réservés ou en cours de réservation ne se déplacent pas à la souris.",
    loadFailed: "Les créneaux n'ont pas pu être chargés.",
    moved: (when: string) => `Créneau déplacé\u00a0: ${when}.`,
    moveFailed: "Le créneau n'a pas été déplacé",
    deleted: (when: string) => `Créneau du ${when} supprimé.`,
    created: (n: number) => `${n} ${plural(n, "créneau créé", "créneaux créés")}.`,
    updated: "Créneau modifié.",
    // FullCalendar's accessible names (its French locale has none); `unit` is "week" or "day".
    buttonHints: {
      prev: (_text: string, unit: string) => (unit === "day" ? "Jour précédent" : "Semaine précédente"),
      next: (_text: string, unit: string) => (unit === "day" ? "Jour suivant" : "Semaine suivante"),
      today: (_text: string, unit: string) => (unit === "day" ? "Aujourd'hui" : "Cette semaine"),
    },
    viewHint: (text: string) => `Vue ${text.toLowerCase()}`,
    navLinkHint: "Aller au $0",
    timeHint: "Heure",
    eventHint: "Créneau",
    eventLabel: (state: string, when: string, kinds: string, patient: string | null) =>
      `${state}, ${when}, ${kinds}${patient ? `, patient ${patient}` : ""}`,
  },

  slotForm: {
    createTitle: "Nouveau créneau",
    editTitle: "Modifier le créneau",
    date: "Date",
    start: "Début",
    end: "Fin",
    split: "Découpage",
    splitHint: "Un seul créneau sur toute la plage, ou plusieurs créneaux consécutifs.",
    splitNone: "Un seul créneau",
    splitEvery: (m: number) => `Créneaux de ${m} minutes`,
    site: "Lieu de consultation",
    kinds: "Types de consultation",
    visibility: "Visible par",
    visibilityHint: "Qui peut voir et réserver ce créneau.",
    sharedWithSas: "Partager avec le SAS (service d'accès aux soins, 15 / 116 117)",
    reason: "Motif ou remarque (facultatif)",
    reasonHint: "Visible par les opérateurs, par exemple «\u00a0enfants de plus de 6 ans\u00a0».",
    submitCreate: "Ouvrir le créneau",
    submitCreateMany: (n: number) => `Ouvrir ${n} créneaux`,
    submitEdit: "Enregistrer",
    submitting: "Enregistrement…",
    cancel: "Annuler",
    errorTitle: "Le créneau n'a pas été enregistré",
    partial: (created: number, refused: number) =>
      `${created} ${plural(created, "créneau créé", "créneaux créés")}, ${refused} ${plural(refused, "refusé", "refusés")}\u00a0:`,
    required: "Renseignez la date, le début et la fin.",
    endBeforeStart: "La fin doit être après le début.",
    chooseKind: "Choisissez au moins un type de consultation.",
    chooseVisibility: "Choisissez au moins une visibilité.",
    tooShort: "La plage est plus courte que la durée d'un créneau.",
  },

  slotDetails: {
    title: "Créneau",
    when: "Date et heure",
    state: "État",
    site: "Lieu",
    kinds: "Types",
    visibility: "Visible par",
    sas: "Partagé avec le SAS",
    yes: "Oui",
    no: "Non",
    reason: "Motif",
    patient: "Patient",
    patientKind: "Consultation prévue",
    source: "Origine",
    sources: { manual: "Saisi à la main", template: "Disponibilité récurrente", ics: "Import de calendrier (ICS)", other: "Autre" } as Record<
      string,
      string
    >,
    holdUntil: (time: string) => `Un opérateur est en train de le réserver (jusqu'à ${time}).`,
    edit: "Modifier",
    delete: "Supprimer ce créneau",
    close: "Fermer",
    pastNote: "Ce créneau est passé.",
  },

  deleteSlot: {
    title: "Supprimer le créneau\u00a0?",
    body: (when: string) => `Le créneau du ${when} sera retiré de votre agenda.`,
    bookedWarning: (patient: string) =>
      `Un patient (${patient}) a rendez-vous sur ce créneau. Il ne sera pas oublié\u00a0: son rendez-vous repart dans la file de la régulation, signalé «\u00a0à replacer\u00a0», et les opérateurs sont prévenus.`,
    heldWarning: "Un opérateur est en train de réserver ce créneau\u00a0: sa réservation échouera.",
    reason: "Motif de l'annulation (transmis à la régulation)",
    confirm: "Confirmer la suppression",
    deleting: "Suppression…",
    cancel: "Garder le créneau",
    failed: "Le créneau n'a pas été supprimé",
  },

  upcoming: {
    title: "Mes prochains patients",
    intro: (days: number) => `Rendez-vous réservés des ${days} prochains jours, heure de Paris.`,
    table: "Mes prochains rendez-vous",
    when: "Date et heure",
    patient: "Patient",
    kind: "Consultation",
    site: "Lieu",
    empty: "Aucun patient n'est inscrit sur vos prochains créneaux.",
    noLabel: "Patient",
    count: (n: number) => `${n} ${plural(n, "rendez-vous", "rendez-vous")}`,
  },

  availability: {
    title: "Disponibilités et absences",
    intro:
      "Vos disponibilités récurrentes ouvrent automatiquement des créneaux sur les semaines à venir\u00a0; une absence retire les créneaux libres des jours concernés. Les créneaux réservés ne sont jamais touchés.",
  },

  templates: {
    title: "Disponibilités récurrentes",
    add: "Nouvelle disponibilité",
    table: "Mes disponibilités récurrentes",
    days: "Jours",
    hours: "Horaires",
    validity: "Validité",
    kinds: "Types",
    site: "Lieu",
    status: "État",
    actions: "Actions",
    active: "Active",
    inactive: "Suspendue",
    holidaysIncluded: "jours fériés inclus",
    holidaysSkipped: "sauf jours fériés",
    minutes: (m: number) => `${m} min`,
    everyWeekday: "Du lundi au vendredi",
    everyDay: "Tous les jours",
    perDay: (n: number) => `${n} ${plural(n, "créneau", "créneaux")} par jour`,
    from: (d: string) => `à partir du ${d}`,
    fromUntil: (a: string, b: string) => `du ${a} au ${b}`,
    edit: "Modifier",
    delete: "Supprimer",
    editLabel: (what: string) => `Modifier la disponibilité ${what}`,
    deleteLabel: (what: string) => `Supprimer la disponibilité ${what}`,
    empty: "Aucune disponibilité récurrente. Créez-en une pour ouvrir vos créneaux chaque semaine.",
    formCreate: "Nouvelle disponibilité récurrente",
    formEdit: "Modifier la disponibilité récurrente",
    weekdays: "Jours de la semaine",
    startTime: "De",
    endTime: "À",
    slotMinutes: "Minutes par créneau",
    validFrom: "Valable à partir du",
    validUntil: "Jusqu'au (inclus, facultatif)",
    validUntilHint: "Laissez vide pour une disponibilité sans fin.",
    siteField: "Lieu de consultation",
    includeHolidays: "Ouvrir aussi les jours fériés",
    activeField: "Active (décochez pour la suspendre sans la supprimer)",
    submitCreate: "Créer la disponibilité",
    submitEdit: "Enregistrer",
    submitting: "Enregistrement…",
    cancel: "Annuler",
    errorTitle: "La disponibilité n'a pas été enregistrée",
    chooseDay: "Choisissez au moins un jour.",
    created: (n: number) =>
      n > 0
        ? `Disponibilité créée\u00a0: ${n} ${plural(n, "créneau ouvert", "créneaux ouverts")} sur les semaines à venir.`
        : "Disponibilité créée. Aucun créneau à ouvrir pour l'instant (dates, jours fériés ou créneaux déjà présents).",
    saved: (created: number, removed: number) =>
      `Disponibilité enregistrée\u00a0: ${created} ${plural(created, "créneau ouvert", "créneaux ouverts")}, ${removed} ${plural(removed, "créneau libre retiré", "créneaux libres retirés")}. Les créneaux réservés sont conservés.`,
    confirmDelete: "Supprimer cette disponibilité\u00a0?",
    confirmDeleteBody: (what: string) =>
      `Disponibilité ${what}\u00a0: ses créneaux libres à venir seront retirés. Les créneaux réservés restent dans votre agenda.`,
    confirm: "Supprimer",
    deleted: (n: number) => `Disponibilité supprimée\u00a0: ${n} ${plural(n, "créneau libre retiré", "créneaux libres retirés")}.`,
    failed: "L'opération a échoué",
  },

  absences: {
    title: "Absences",
    add: "Déclarer une absence",
    table: "Mes absences",
    period: "Période",
    reason: "Motif",
    actions: "Actions",
    empty: "Aucune absence déclarée.",
    formCreate: "Déclarer une absence",
    formEdit: "Modifier l'absence",
    startDate: "Du",
    endDate: "Au (inclus)",
    reasonField: "Motif (facultatif)",
    reasonHint: "Pour vous et la coordination, par exemple «\u00a0congés\u00a0».",
    submitCreate: "Enregistrer l'absence",
    submitEdit: "Enregistrer",
    submitting: "Enregistrement…",
    cancel: "Annuler",
    errorTitle: "L'absence n'a pas été enregistrée",
    required: "Renseignez les deux dates.",
    saved: (removed: number, created: number, kept: number) => {
      const parts = [`${removed} ${plural(removed, "créneau libre retiré", "créneaux libres retirés")}`];
      if (created > 0) parts.push(`${created} ${plural(created, "créneau rouvert", "créneaux rouverts")}`);
      let text = `Absence enregistrée\u00a0: ${parts.join(", ")}.`;
      if (kept > 0)
        text += ` Attention\u00a0: ${kept} ${plural(kept, "créneau réservé ou en cours de réservation est conservé", "créneaux réservés ou en cours de réservation sont conservés")} pendant l'absence\u00a0; annulez-les depuis le calendrier si vous ne pouvez pas recevoir ces patients.`;
      return text;
    },
    edit: "Modifier",
    delete: "Supprimer",
    editLabel: (what: string) => `Modifier l'absence ${what}`,
    deleteLabel: (what: string) => `Supprimer l'absence ${what}`,
    confirmDelete: "Supprimer cette absence\u00a0?",
    confirmDeleteBody: (what: string) => `Absence ${what}\u00a0: vos disponibilités récurrentes rouvriront leurs créneaux ces jours-là.`,
    confirm: "Supprimer",
    deleted: (n: number) => `Absence supprimée\u00a0: ${n} ${plural(n, "créneau rouvert", "créneaux rouverts")}.`,
    period_: (a: string, b: string) => (a === b ? `le ${a}` : `du ${a} au ${b}`),
    failed: "L'opération a échoué",
  },

  calendars: {
    title: "Calendriers (ICS)",
    intro:
      "Reliez votre agenda SNP à votre logiciel ou à votre téléphone\u00a0: abonnez-vous au flux de vos rendez-vous, importez vos disponibilités depuis un fichier ICS ou une adresse d'abonnement.",

    feedTitle: "Flux de mes rendez-vous",
    feedIntro:
      "Une adresse secrète à coller dans votre agenda (Google Agenda, Outlook, Apple Calendrier, Thunderbird…) pour y voir vos patients SNP (informations minimales).",
    feedLabel: "Adresse du flux",
    feedNone: "Aucun lien n'a encore été créé.",
    feedCreate: "Créer le lien",
    feedRegenerate: "Régénérer le lien",
    feedRevoke: "Désactiver le lien",
    feedCopy: "Copier",
    feedCopied: "Adresse copiée.",
    feedCopyFailed: "La copie a échoué\u00a0: sélectionnez l'adresse et copiez-la à la main.",
    feedSecret: "Gardez cette adresse pour vous\u00a0: quiconque la connaît voit vos rendez-vous.",
    feedRegenerateWarning:
      "Régénérer le lien crée une nouvelle adresse\u00a0: l'ancienne cesse aussitôt de fonctionner, et les agendas qui y sont abonnés devront utiliser la nouvelle.",
    feedConfirmRegenerate: "Régénérer le lien\u00a0?",
    feedConfirmRevoke: "Désactiver le lien\u00a0?",
    feedRevokeWarning: "L'adresse actuelle cessera de fonctionner\u00a0; vous pourrez en créer une nouvelle.",
    feedConfirm: "Confirmer",
    feedCancel: "Annuler",
    feedCreated: "Nouveau lien créé. Remplacez l'ancien dans vos agendas.",
    feedRevoked: "Le lien est désactivé.",
    feedFailed: "L'opération a échoué",

    uploadTitle: "Importer un fichier ICS",
    uploadIntro: (marker: string) =>
      `Les événements dont le titre ou la catégorie contient «\u00a0${marker}\u00a0» deviennent des créneaux libres. Importer à nouveau le même calendrier ne crée pas de doublon\u00a0; les créneaux libres disparus du fichier sont retirés.`,
    uploadMarker: "SNP",
    file: "Fichier de calendrier (.ics)",
    site: "Lieu de consultation des créneaux",
    upload: "Importer",
    uploading: "Import en cours…",
    uploadFailed: "Le fichier n'a pas été importé",
    chooseFile: "Choisissez un fichier .ics.",
    report: "Résultat de l'import",
    reportEvents: "Événements SNP lus",
    reportSlots: "Créneaux décrits",
    reportCreated: "Créneaux créés",
    reportUnchanged: "Déjà présents",
    reportRemoved: "Retirés (disparus du fichier)",
    reportSkipped: "Ignorés (chevauchement, absence)",

    subscriptionTitle: "S'abonner à un calendrier",
    subscriptionIntro:
      "Si votre logiciel publie une adresse ICS de vos plages SNP, indiquez-la\u00a0: la plateforme la relit régulièrement et met vos créneaux à jour.",
    subscriptionUrl: "Adresse du calendrier (https:// ou webcal://)",
    subscriptionSite: "Lieu de consultation de ces créneaux",
    subscriptionSave: "Enregistrer l'abonnement",
    subscriptionRemove: "Supprimer l'abonnement",
    subscriptionSaving: "Enregistrement…",
    subscriptionSaved: "Abonnement enregistré\u00a0: il sera relu dans les prochaines minutes.",
    subscriptionRemoved: "Abonnement supprimé.",
    subscriptionFailed: "L'abonnement n'a pas été enregistré",
    lastFetched: (when: string) => `Dernière lecture\u00a0: ${when}.`,
    neverFetched: "Pas encore relu.",
    lastError: "Dernière erreur de lecture\u00a0:",
  },

  common: {
    chooseFile: "Choisir un fichier…",
    noFile: "Aucun fichier choisi",
    saving: "Enregistrement…",
    close: "Fermer",
    siteLabel: (name: string, city: string) => `${name} (${city})`,
  },
} as const;
