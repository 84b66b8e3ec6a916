/** The verify report as text for a person and as JSON for CI; neither holds a token, only paths and fields. */
import type { VerifyReport } from './verify.ts';

const MARK = {
  confirmed: 'confirmed   ',
  contradicted: 'CONTRADICTED',
  'not tested': 'not tested  ',
} as const;

export function reportText(report: VerifyReport): string {
  const lines = [
    `sage200-sandbox verify: ${report.apiBaseUrl} (X-Site ${report.site ?? '?'}, X-Company ${report.company ?? '?'})`,
    `Read ${report.read.lists} lists and ${report.read.records} records in ${report.requests} requests.`,
    '',
    "README.md's Fidelity table, the rows a run can settle:",
  ];
  for (const row of report.rows) {
    lines.push(`  ${MARK[row.status]} ${row.id}: ${row.behaviour}`);
    const shown =
      row.status === 'contradicted' ? row.evidence.filter((e) => e.startsWith('CONTRADICTS')) : [];
    for (const evidence of shown.length > 0
      ? shown
      : row.evidence.filter((e) => !e.startsWith('as documented'))) {
      lines.push(`      ${evidence}`);
    }
  }
  lines.push('', `Differences from the contract, by resource: ${report.differences.length}`);
  let resource = '';
  for (const difference of report.differences) {
    if (difference.resource !== resource) {
      resource = difference.resource;
      lines.push(`  ${resource}`);
    }
    lines.push(
      `    ${difference.field}: ${difference.problems.join('; ')}`,
      `      seen on ${difference.paths.join(', ')}`,
    );
  }
  if (report.throttles.length > 0) {
    lines.push('', `Throttled (429): ${report.throttles.length}`);
    for (const throttle of report.throttles) {
      const asked =
        throttle.retryAfterSeconds === undefined
          ? 'no readable Retry-After'
          : `Retry-After ${throttle.retryAfterSeconds}`;
      lines.push(
        `  ${throttle.method} ${throttle.path}: ${asked}; waited ${throttle.waitedMs / 1000} s and sent it again`,
      );
    }
  }
  if (report.notRead.length > 0) {
    lines.push('', `Paths not read: ${report.notRead.length}`);
    for (const { path, reason } of report.notRead) lines.push(`  ${path}: ${reason}`);
  }
  lines.push(
    '',
    report.contradicted
      ? 'Result: the service contradicts the sandbox (exit code 1).'
      : 'Result: nothing the service answered contradicts the sandbox.',
  );
  return `${lines.join('\n')}\n`;
}

export function reportJson(report: VerifyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
