/** French strings of the agenda feature (effectors' slots). */
export const agendaTexts = {
  effectorHome: {
    title: "Mon agenda SNP",
    intro: "Les créneaux de soins non programmés que vous ouvrez à la CPTS et les patients qui y sont orientés.",
    empty: "Aucun créneau publié pour le moment.",
  },
} as const;
