/** The dashboard's charts (recharts), shared by the dashboard and the printable annual report. */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import type { Schemas } from "../../api/client";
import { indicatorsTexts as t } from "./texts";

type Dashboard = Schemas["Dashboard"];

const COLORS = { main: "#1f5fa8", previous: "#9aa9bd", accent: "#c2561a", free: "#3b8a4a" };

export function NationalChart({ dashboard, animate = true }: { dashboard: Dashboard; animate?: boolean }) {
  const data = dashboard.national.periods.map((p) => ({
    label: p.label,
    current: p.consultations,
    previous: p.previous_year,
  }));
  return (
    <figure className="ind-chart" aria-label={t.charts.national}>
      <figcaption>{t.charts.national}</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" fontSize={11} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip />
          <Legend />
          <Bar dataKey="previous" name={t.charts.lastYear} fill={COLORS.previous} isAnimationActive={animate} />
          <Bar dataKey="current" name={t.charts.thisYear} fill={COLORS.main} isAnimationActive={animate} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function RequestsChart({ dashboard, animate = true }: { dashboard: Dashboard; animate?: boolean }) {
  const data = dashboard.requests.by_period.map((c) => ({ label: c.label, count: c.count }));
  return (
    <figure className="ind-chart" aria-label={t.charts.requestsByPeriod}>
      <figcaption>{t.charts.requestsByPeriod}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" fontSize={11} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip />
          <Line type="monotone" dataKey="count" name={t.charts.requests} stroke={COLORS.main} isAnimationActive={animate} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function CountsChart({
  title,
  counts,
  animate = true,
}: {
  title: string;
  counts: Schemas["Count"][];
  animate?: boolean;
}) {
  const data = counts.map((c) => ({ label: c.label, count: c.count }));
  return (
    <figure className="ind-chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={Math.max(140, 28 * data.length + 40)}>
        <BarChart data={data} layout="vertical" margin={{ left: 40 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} fontSize={11} />
          <YAxis type="category" dataKey="label" width={150} fontSize={11} />
          <Tooltip />
          <Bar dataKey="count" name={t.charts.requests} fill={COLORS.accent} isAnimationActive={animate} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function HoursChart({ dashboard, animate = true }: { dashboard: Dashboard; animate?: boolean }) {
  const data = dashboard.supply_demand.by_hour.map((r) => ({ label: r.label, requests: r.requests, free: r.free }));
  return (
    <figure className="ind-chart" aria-label={t.charts.byHour}>
      <figcaption>{t.charts.byHour}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" fontSize={10} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip />
          <Legend />
          <Bar dataKey="requests" name={t.charts.requests} fill={COLORS.accent} isAnimationActive={animate} />
          <Bar dataKey="free" name={t.charts.free} fill={COLORS.free} isAnimationActive={animate} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
