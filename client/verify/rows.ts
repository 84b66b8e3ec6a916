/**
 * The rows of README.md's Fidelity table that a verify run can settle, by the stable id each row carries there
 * (written `verify: \`id\`` in its status cell; test/scenarios/verify.test.ts checks both lists agree).
 */
export const VERIFIABLE_ROWS = {
  'api-base-path': 'API base path `/uk/sage200/accounts/v1/`, sites discovery on it',
  'record-schemas': 'Resource paths, field names, types, lengths (and null-ness, enum members, date formats)',
  'lists-bare-arrays': 'Lists are bare JSON arrays',
  'site-company-required': '`X-Site` / `X-Company` required on every call but `/sites`',
  'gateway-401': 'Missing or invalid token, site or company: 401',
  'gateway-401-body': 'Body of a gateway 401: empty',
  'top-default-max': '`$top`: default 500, maximum 5000; above is a 400',
  'skip-needs-orderby': '`$skip` without `$orderby`: 400',
  'count-bare-integer': '`$count=true`: a bare integer',
  'filter-date-needs-z': 'Date-times in `$filter` must end in `Z`',
  'unknown-id-404': 'Unknown id: 404 `{ "Message": "…" }`',
  'throttle-429': '429 carries `Retry-After`',
  'token-response': 'Sage ID token response: `access_token`, `expires_in`, `token_type: Bearer`',
} as const;

export type RowId = keyof typeof VERIFIABLE_ROWS;

export type RowStatus = 'confirmed' | 'contradicted' | 'not tested';

export interface RowResult {
  id: RowId;
  behaviour: string;
  status: RowStatus;
  /** What was sent and what came back, one line each. */
  evidence: string[];
}

/** Collects checks per row: one contradicting check makes the row contradicted, any passing one confirmed. */
export class RowLedger {
  readonly #rows = new Map<RowId, { passed: number; failed: number; evidence: string[] }>();

  #row(id: RowId) {
    let row = this.#rows.get(id);
    if (!row) {
      row = { passed: 0, failed: 0, evidence: [] };
      this.#rows.set(id, row);
    }
    return row;
  }

  check(id: RowId, holds: boolean, evidence: string): void {
    const row = this.#row(id);
    if (holds) row.passed += 1;
    else row.failed += 1;
    row.evidence.push(`${holds ? 'as documented' : 'CONTRADICTS'}: ${evidence}`);
  }

  /** A check that could not be made, and why. */
  note(id: RowId, evidence: string): void {
    this.#row(id).evidence.push(evidence);
  }

  results(): RowResult[] {
    return (Object.keys(VERIFIABLE_ROWS) as RowId[]).map((id) => {
      const row = this.#rows.get(id);
      const status: RowStatus =
        row === undefined || row.passed + row.failed === 0
          ? 'not tested'
          : row.failed > 0
            ? 'contradicted'
            : 'confirmed';
      return { id, behaviour: VERIFIABLE_ROWS[id], status, evidence: row?.evidence ?? [] };
    });
  }
}
