/** The French strings of the UI kit. */
export const uiTexts = {
  close: "Fermer",
  retry: "Réessayer",
  loading: "Chargement…",
  sortAscending: "tri croissant",
  sortDescending: "tri décroissant",
  sortBy: (column: string) => `Trier par ${column}`,
} as const;
