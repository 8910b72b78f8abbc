/** French strings of the SAS feature (regulators of the Service d'accès aux soins). */
export const sasTexts = {
  sasHome: {
    title: "Créneaux SAS",
    intro: "Les créneaux des effecteurs de la CPTS ouverts au Service d'accès aux soins (SAS).",
    empty: "Aucun créneau disponible pour le SAS pour le moment.",
  },
} as const;
