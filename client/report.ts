/** The sync's result as the text table `npm run sync` prints, and as JSON without the mapped records. */
import type { BalanceSheet, DataTypeResult } from './sync/codat-types.ts';
import type { SyncResult } from './sync/index.ts';
import { formatMoney, pence, pounds } from './sync/money.ts';

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The table of data types, record counts, statuses and timings. */
export function dataTypeTable(results: readonly DataTypeResult[]): string {
  const rows = results.map((r) => {
    const notes = [
      r.validation.errors.length > 0 ? plural(r.validation.errors.length, 'error') : '',
      r.validation.warnings.length > 0 ? plural(r.validation.warnings.length, 'warning') : '',
    ].filter(Boolean);
    return [
      r.dataType,
      String(r.records),
      r.status,
      `${Math.round(r.durationMs)} ms`,
      notes.join(', '),
    ] as const;
  });
  const header = ['data type', 'records', 'status', 'time', 'validation'] as const;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const format = (row: readonly string[]) =>
    row
      .map((cell, i) => pad(cell, widths[i]!, i === 1 || i === 3))
      .join('  ')
      .trimEnd();
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...rows.map(format)].join('\n');
}

/** Assets, liabilities, net assets, equity and the difference of the most recent balance sheet. */
export function balanceSheetSummary(sheet: BalanceSheet): string {
  const latest = sheet.reports[0];
  if (!latest) return 'Balance sheet: no reports.';
  const difference = pounds(pence(latest.netAssets) - pence(latest.equity.value));
  const rows: [string, number][] = [
    ['assets', latest.assets.value],
    ['liabilities', latest.liabilities.value],
    ['net assets', latest.netAssets],
    ['equity', latest.equity.value],
    ['difference', difference],
  ];
  const width = Math.max(...rows.map(([, value]) => formatMoney(value).length));
  return [
    `Balance sheet at ${latest.date.slice(0, 10)} (${sheet.currency}, ${plural(sheet.reports.length, 'monthly report')}):`,
    ...rows.map(([label, value]) => `  ${pad(label, 13)}${pad(formatMoney(value), width, true)}`),
    difference === 0
      ? '  Net assets equal equity.'
      : '  Net assets do not equal equity (difference = net assets - equity): the balance sheet fails validation.',
  ].join('\n');
}

/** The first validation error and the failure message of each data type that has one. */
export function problems(results: readonly DataTypeResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    if (r.errorMessage !== undefined) lines.push(`${r.dataType} ${r.status}: ${r.errorMessage}`);
    const first = r.validation.errors[0];
    if (first) {
      const more = r.validation.errors.length > 1 ? ` (and ${r.validation.errors.length - 1} more)` : '';
      lines.push(`${r.dataType} ${r.status}: [${first.ruleId}] ${first.message}${more}`);
    }
    const warning = r.validation.warnings[0];
    if (warning) lines.push(`${r.dataType} warning: [${warning.ruleId}] ${warning.message}`);
  }
  return lines;
}

/** The result without the mapped records: statuses, counts, timings and validation, for CI logs. */
export function resultJson(result: SyncResult): unknown {
  return {
    ...result,
    results: result.results.map(({ data: _data, ...rest }) => rest),
  };
}
