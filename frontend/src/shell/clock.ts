/** The current time for displays that count (waiting times, time left, countdowns). */
import { useEffect, useState } from "react";

/** The current time, refreshed every `everyMs`. */
export function useNow(everyMs = 5_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
