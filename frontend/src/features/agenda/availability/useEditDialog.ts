/** The dialog a list card has open (add, change, delete) and the success line it left behind. */
import { useState } from "react";

export function useEditDialog<D>() {
  const [dialog, setDialog] = useState<D | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  return {
    dialog,
    flash,
    open: (next: D) => {
      setFlash(null);
      setDialog(next);
    },
    close: () => setDialog(null),
    done: (message: string) => {
      setDialog(null);
      setFlash(message);
    },
  };
}
