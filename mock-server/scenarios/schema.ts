/**
 * The scenario file's schema (docs/scenarios.md, every field): a world described, or the default world changed, by a
 * file a user writes. zod checks the shape; the loader (load.ts) then checks every record against the contract and
 * names the file, line and field of each problem.
 */
import { z } from 'zod';

/** The format's version; a file states it so a later format can still read it. */
export const SCENARIO_VERSION = 1;

/** Any JSON value: a record's field as Sage returns it. */
export type ScenarioJson =
  | string
  | number
  | boolean
  | null
  | ScenarioJson[]
  | { [key: string]: ScenarioJson };

const json: z.ZodType<ScenarioJson> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);

/** A record exactly as Sage returns it: a JSON object (checked against the contract's schema by the loader). */
const record = z.record(z.string(), json);

/** An amount in pounds (or the base currency) with at most two decimal places. */
const money = z
  .number()
  .finite()
  .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, {
    message: 'must have at most two decimal places',
  });

const nonZeroMoney = money.refine((value) => value !== 0, { message: 'must not be 0' });

/**
 * An accounting period, relative to the world's current financial year so a file keeps its meaning whatever date
 * the world is built at: `year` as Sage's `year_relative_to_current_year` (0 this year, -1 last year), `number` the
 * period's number in its year (1-12).
 */
export const periodRef = z.strictObject({
  year: z.number().int(),
  number: z.number().int().min(1).max(12),
});
export type PeriodRef = z.infer<typeof periodRef>;

/** A nominal code by its reference, with its cost centre and department (blank when absent). */
const nominalRef = z.union([
  z.string().min(1),
  z.strictObject({
    reference: z.string().min(1),
    cost_centre: z.string().optional(),
    department: z.string().optional(),
  }),
]);
export type NominalRef = z.infer<typeof nominalRef>;

/** A named account or product: the key field picks the record (created when the company has none), the rest are set. */
const named = (key: string) => z.object({ [key]: z.string().min(1) }).catchall(json);

/** A nominal code to add or change: by reference, cost centre and department; the rest are set. */
const namedNominalCode = z
  .object({
    reference: z.string().min(1),
    cost_centre_code: z.string().optional(),
    department_code: z.string().optional(),
  })
  .catchall(json);

/** One line of the opening balances: a debit or a credit to one nominal code. */
const openingLine = z.union([
  z.strictObject({ nominal_code: nominalRef, debit: nonZeroMoney }),
  z.strictObject({ nominal_code: nominalRef, credit: nonZeroMoney }),
]);

/** The posting endpoints a scenario may post through (the API's own, POST /{endpoint}). */
export const POSTING_ENDPOINTS = [
  'sales_invoices',
  'sales_credit_notes',
  'sales_receipts',
  'sales_payments',
  'purchase_invoices',
  'purchase_credit_notes',
  'purchase_payments',
  'purchase_receipts',
  'bank_payment',
  'bank_receipt',
  'bank_transfer',
] as const;
export type PostingEndpoint = (typeof POSTING_ENDPOINTS)[number];

/** A date inside a period, relative as `period` is: the period's `day`th day (clamped to its last). */
const relativeDate = periodRef.extend({ day: z.number().int().min(1).max(31) });
export type RelativeDate = z.infer<typeof relativeDate>;

/**
 * A document or posting made through the API's posting engine: the endpoint and its request body as Sage takes it.
 * A body value `{ lookup: <collection>, <field>: <value> }` is replaced by the id of the one record that matches.
 */
const posting = z.strictObject({
  endpoint: z.enum(POSTING_ENDPOINTS),
  date: relativeDate.optional(),
  body: record,
});

/** Deliberate faults in the books: each is made as the sandbox company's designed imbalance is, below the API. */
const fault = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('unbalanced'),
    period: periodRef,
    nominal_code: nominalRef,
    amount: nonZeroMoney,
    periods: z.number().int().min(1).optional(),
  }),
  z.strictObject({
    kind: z.literal('control_account_mismatch'),
    ledger: z.enum(['sales', 'purchase']),
    period: periodRef,
    amount: nonZeroMoney,
    against: nominalRef.optional(),
  }),
  z.strictObject({
    kind: z.literal('missing_period_value'),
    period: periodRef,
    nominal_code: nominalRef,
  }),
]);
export type ScenarioFault = z.infer<typeof fault>;

/** The most a generated company's count may be: the large world's volumes (mock-server/seed/build.ts, VOLUMES). */
export const COUNT_LIMITS = {
  customers: 2_500,
  suppliers: 700,
  products: 160,
  sales_per_month: 1_300,
  purchases_per_month: 500,
} as const;

const count = (least: number, most: number) =>
  z
    .number()
    .int('must be a whole number')
    .min(least, `must be at least ${least}`)
    .max(most, `must be at most ${most}`);

/**
 * The volumes a `base: generated` company is built at by the seed; each absent one is the small world's. Accounts
 * and products are counts, documents a count a month over the company's trading history.
 */
const counts = z.strictObject({
  customers: count(1, COUNT_LIMITS.customers).optional(),
  suppliers: count(1, COUNT_LIMITS.suppliers).optional(),
  products: count(1, COUNT_LIMITS.products).optional(),
  sales_per_month: count(1, COUNT_LIMITS.sales_per_month).optional(),
  purchases_per_month: count(1, COUNT_LIMITS.purchases_per_month).optional(),
});
export type ScenarioCounts = z.infer<typeof counts>;

const company = z.strictObject({
  id: z.number().int().min(1),
  name: z.string().min(1).max(60).optional(),
  /**
   * `empty`: only the records given; `seeded`: a copy of the seeded company `from`; `generated`: built by the seed
   * at `counts`. Absent on a seeded company.
   */
  base: z.enum(['empty', 'seeded', 'generated']).optional(),
  from: z.number().int().min(1).optional(),
  counts: counts.optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as GBP or EUR')
    .optional(),
  records: z.record(z.string(), z.array(record)).optional(),
  customers: z.array(named('reference')).optional(),
  suppliers: z.array(named('reference')).optional(),
  products: z.array(named('code')).optional(),
  nominal_codes: z.array(namedNominalCode).optional(),
  opening_balances: z.array(openingLine).min(2).optional(),
  postings: z.array(posting).optional(),
  faults: z.array(fault).optional(),
});
export type ScenarioCompany = z.infer<typeof company>;

/** The seeded world's site kinds a scenario may give a site. */
export const SCENARIO_SITE_KINDS = ['full', 'trial', 'sandbox'] as const;

const site = z.strictObject({
  id: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lowercase GUID')
    .optional(),
  name: z.string().min(1).max(60).optional(),
  kind: z.enum(SCENARIO_SITE_KINDS).optional(),
  users: z.array(z.email()).optional(),
  companies: z.array(company).optional(),
});
export type ScenarioSite = z.infer<typeof site>;

/** A scenario file, as zod reads it. */
export const scenarioSchema = z.strictObject({
  version: z.literal(SCENARIO_VERSION),
  name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9 and single hyphens)'),
  description: z.string().optional(),
  sites: z.array(site).optional(),
  /** Changes to companies of the seeded world, by their X-Company id, wherever their site is. */
  companies: z.array(company).optional(),
});
export type ScenarioDocument = z.infer<typeof scenarioSchema>;
