/**
 * What the sandbox serves passes a strict validator that knows nothing of the sandbox: plain Ajv (JSON Schema
 * 2020-12) with ajv-formats' full formats, where `date-time` requires a UTC offset, given the contract as it is
 * published. Formats it does not know (`date-time-local`, Sage's `decimal 2dp`) it ignores, as strict validators
 * do, so business dates are held to their `pattern`. Every list of the full user's company is checked.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_DATE_PATTERN, loadContract } from '../../contracts/index.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import { type Caller, callerFor, testSandbox, USERS } from '../support/sandbox.ts';

const contract = loadContract();
const ID = 'urn:strict-validator:contract';

/** A validator as a consumer of the contract would build one: no sandbox code, no relaxed formats. */
function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false, allowUnionTypes: true });
  ajvFormats.default(ajv);
  // The document is registered whole, so `#/components/...` refs resolve as written; its two top-level keys are
  // containers, not JSON Schema keywords.
  ajv.addVocabulary(['paths', 'components']);
  ajv.addSchema({ $id: ID, paths: contract.paths, components: contract.components });
  return ajv;
}

const ajv = strictAjv();
/** The list paths (no path parameter) and the JSON pointer of each one's 200 schema. */
const lists = Object.entries(contract.paths).flatMap(([path, item]) => {
  const ok = item.get?.responses['200'];
  if (path.includes('{') || ok === undefined) return [];
  const response = '$ref' in ok ? ok.$ref.slice(1) : `/paths/${path.replaceAll('/', '~1')}/get/responses/200`;
  return [[path, `${response}/content/application~1json/schema`] as const];
});
const BUSINESS_DATE = new RegExp(BUSINESS_DATE_PATTERN);

/** Every string value under `node` whose key is `name`. */
function valuesOf(node: unknown, name: string, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) valuesOf(item, name, found);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === name && typeof value === 'string') found.push(value);
      else valuesOf(value, name, found);
    }
  }
  return found;
}

describe('a strict validator accepts what the sandbox serves', () => {
  let app: SandboxApp;
  let caller: Caller;
  beforeAll(async () => {
    app = testSandbox();
    caller = await callerFor(app, USERS.full);
  });

  it('would refuse an offset-less date declared date-time, and the contract declares none', () => {
    expect(ajv.validate({ type: 'string', format: 'date-time' }, '2024-10-01T00:00:00')).toBe(false);
    expect(ajv.validate({ type: 'string', format: 'date-time' }, '2024-10-01T00:00:00Z')).toBe(true);
    const schema = { $ref: `${ID}#/components/schemas/CustomerFields/properties/account_opened` };
    expect(ajv.validate(schema, '2024-10-01T00:00:00')).toBe(true);
    expect(ajv.validate(schema, '2024-10-01T00:00:00Z')).toBe(false);
  });

  it.each(lists)('GET %s', async (path, pointer) => {
    const response = await caller.get(path);
    expect(response.status).toBe(200);
    const body: unknown = await response.json();
    const validate = ajv.compile({ $ref: `${ID}#${pointer}` });
    expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('sees business dates without an offset and instants with one in what it checked', async () => {
    const transactions: unknown = await (await caller.get('/sales_posted_transactions?$top=20')).json();
    const dates = valuesOf(transactions, 'transaction_date');
    expect(dates.length).toBeGreaterThan(0);
    for (const date of dates) expect(date).toMatch(BUSINESS_DATE);
    for (const stamp of valuesOf(transactions, 'date_time_updated')) expect(stamp).toMatch(/Z$/);
  });
});
