export interface BenchRow {
  label: string;
  value: number;
  unit: string;
  /** The figure against the benchmark's baseline, measured in the same run. */
  ratio?: number;
}

export interface BenchResult {
  name: string;
  baseline: string;
  rows: BenchRow[];
  notes?: string[];
}

const format = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3));

/** A Markdown table, ready to paste into the README's benchmark section. */
export function renderResult(result: BenchResult): string {
  const lines = [`### ${result.name}`, `Baseline: ${result.baseline}.`, '', '| measure | figure | × baseline |', '| --- | --- | --- |'];
  for (const row of result.rows) {
    lines.push(`| ${row.label} | ${format(row.value)} ${row.unit} | ${row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`} |`);
  }
  for (const note of result.notes ?? []) lines.push('', note);
  return lines.join('\n');
}
