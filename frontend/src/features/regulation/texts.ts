/** French strings of the regulation feature (operators, medical regulators, referrers). */
export const regulationTexts = {
  operatorHome: {
    title: "File d'attente",
    intro: "Les demandes de soins non programmés à qualifier et à orienter, par ordre de priorité.",
    empty: "Aucune demande en attente.",
  },
  regulatorHome: {
    title: "Demandes d'avis médical",
    intro: "Les demandes pour lesquelles un·e opérateur·rice sollicite votre avis.",
    empty: "Aucune demande d'avis pour le moment.",
  },
  referrerHome: {
    title: "Mes orientations",
    intro: "Les patients que vous avez orientés vers un professionnel de la CPTS et leur suivi.",
    empty: "Vous n'avez encore orienté aucun patient.",
  },
} as const;
