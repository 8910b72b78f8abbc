/** Every French string of the ACI contract report, in one place. */
export const aciTexts = {
  nav: "Contrat ACI",
  title: (year: number) => `Rapport annuel ACI — année ${year} du contrat`,
  subtitle: "Mission accès aux soins : indicateurs, taux d'atteinte et montants",
  year: "Année du contrat",
  print: "Imprimer (A4)",
  manage: "Saisir le contrat, les chiffres et les heures",
  period: (start: string, end: string) => `Du ${start} au ${end}`,
  status: { upcoming: "À venir", live: "En cours", final: "Close" } as Record<string, string>,
  partial: (until: string, elapsed: number, total: number) =>
    `Année en cours : chiffres partiels arrêtés au ${until} (${elapsed} jours sur ${total}). ` +
    "Les colonnes « à ce rythme » projettent les comptes sur l'année entière ; ne les comparez pas à une année close.",
  missing: (labels: string) => `Chiffres nationaux non encore saisis (comptés 0 % d'atteinte) : ${labels}.`,
  signed: (date: string, size: number, population: string) =>
    `Contrat signé le ${date} ; CPTS de taille ${size} (${population}).`,
  indicatorsTitle: "Indicateurs, définitions et calculs",
  attainmentTitle: "Tableau d'atteinte",
  moneyTitle: "Montants de la mission accès aux soins",
  envelopesTitle: "Autres financements de l'année (taille de la CPTS)",
  noContract: "Aucun contrat ACI n'est encore enregistré.",
  columns: {
    indicator: "Indicateur",
    baseline: "Référence",
    target: "Objectif",
    weight: "Poids",
    value: "Valeur",
    attainment: "Atteinte",
    projected: "À ce rythme",
    direction: "Sens",
  },
  direction: { increasing: "à la hausse", decreasing: "à la baisse" } as Record<string, string>,
  definition: "Définition",
  calculation: "Calcul",
  origin: "Source de la valeur",
  noValue: "non saisi",
  help: {
    attainment:
      "Taux d'atteinte (règle linéaire du contrat type) : 0 % à la référence, 100 % à l'objectif, linéaire entre les deux, plafonné à 100 % et jamais négatif ; pour un indicateur décroissant la valeur doit baisser.",
    variable:
      "Part variable gagnée = part variable maximale × somme (poids × taux d'atteinte) ; un chiffre non saisi compte 0 %.",
    advance: "Avance : 75 % de la part fixe, versée au début de l'année du contrat.",
    balance:
      "Solde : part fixe − avance + part variable gagnée, dû dans les deux mois suivant la date anniversaire.",
  },
  money: {
    fixed: "Part fixe",
    variableMax: "Part variable maximale (100 % d'atteinte)",
    variableEarned: "Part variable gagnée",
    total: "Total fixe + variable",
    advance: (date: string) => `Avance (versée le ${date})`,
    balance: (date: string) => `Solde (dû au plus tard le ${date})`,
    toDate: "Sur les valeurs à ce jour",
    final: "Définitif",
    projected: "À ce rythme",
  },
  envelopes: {
    running: "Fonctionnement de la communauté",
    gp: "Compensation des médecins (SNP)",
    orientation: "Service de traitement et d'orientation (SNP, fléché)",
  },
  source: (text: string) => `Montants : ${text}.`,
};
