/** One series' value in a Prometheus text exposition; 0 when the series is absent. */
export function metricValue(metrics: string, series: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(series + ' '));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
