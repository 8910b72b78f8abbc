import { paris, timeRange } from "./time";

/** An appointment's day and hours, as the agenda's tables show them. */
export function AppointmentWhen({ start, end }: { start: string; end: string }) {
  return (
    <time dateTime={start}>
      <span className="ag-day">{paris(start).toFormat("cccc d LLLL")}</span>
      <span className="cell-sub">{timeRange(start, end)}</span>
    </time>
  );
}
