/** French strings of the SAS feature (regulators of the Service d'accès aux soins). */
export const sasTexts = {
  sasHome: {
    title: "Créneaux SAS",
    intro: "Les créneaux des effecteurs de la CPTS ouverts au Service d'accès aux soins (SAS).",
    empty:
      "Ouvrez l'agenda d'un effecteur depuis la plateforme numérique du SAS : le lien d'un créneau vous amène ici, sur ses créneaux libres.",
  },
  effector: {
    title: (name: string) => `Créneaux SAS — ${name}`,
    titleLoading: "Créneaux SAS",
    intro: "Créneaux libres de cet effecteur ouverts au SAS, pour les prochains jours (heure de Paris).",
    originNotice:
      "Réservation réservée aux régulateurs arrivant depuis la plateforme numérique du SAS : ouvrez ce lien depuis la plateforme pour réserver.",
    sasBadge: "Accès régulateur SAS",
    noSlot: "Aucun créneau libre ouvert au SAS pour cet effecteur dans les prochains jours.",
    slotsHeading: "Créneaux libres",
    choose: "Choisir",
    chosen: "Choisi",
    kinds: { AMB: "Au cabinet", HH: "Visite à domicile", VR: "Téléconsultation" } as Record<string, string>,
    formHeading: "Patient",
    formIntro: "Le minimum nécessaire à l'effecteur et au SMS de confirmation.",
    kind: "Type de consultation",
    address: "Adresse du patient (si hors des communes proposées)",
    smsConsent: "Le patient accepte de recevoir un SMS de confirmation et de rappel",
    submit: "Réserver ce créneau",
    submitting: "Réservation…",
    errorTitle: "La réservation n'a pas pu être faite",
    pickFirst: "Choisissez d'abord un créneau.",
    booked: "Rendez-vous réservé",
    bookedDetail: (when: string, where: string) => `Le ${when}, ${where}. L'effecteur est prévenu et la plateforme SAS informée.`,
    another: "Réserver un autre créneau",
  },
} as const;
