/**
 * Holds every record schema of the contract to the Sage schema it names (`x-sage-schema` in `x-sage-file`):
 * same field names, types, formats, maxLength, readOnly, defaults and required lists, recursively; the
 * nullability rule applied exactly; and nothing left out that the field rules keep. A writable record is split in
 * two: `CustomerFields` names the Sage schema and holds every property with no required list (a PUT's body), and
 * `Customer` is `allOf: [CustomerFields]` plus the required list, which must be Sage's. Sage's schemas are read from
 * `contracts/sage-digest.txt`, the digest of Sage's published OpenAPI files (contracts/README.md; a public copy of
 * the files: https://github.com/SelectCo/sage200-api-client/tree/develop/OpenAPISpecification).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { SchemaObject } from '../../contracts/index.ts';
import {
  BUSINESS_DATE_FORMAT,
  BUSINESS_DATE_PATTERN,
  loadCatalog,
  loadContract,
} from '../../contracts/index.ts';
import { loadSageDigest, type SageSchema } from '../../contracts/scripts/sage-digest-format.ts';

/**
 * Professional-only fields that Sage 200 Standard needs all the same: a transfer of a batch- or serial-numbered
 * product names its items (the sandbox's Standard companies hold batch and serial numbers: README, Fidelity).
 */
const KEPT_DESPITE_PROFESSIONAL_ONLY = new Set([
  'nominal_code.report_category_id',
  'stock_transfer.traceable_adjustment_items',
]);
/** Timestamps every record has; never null. */
const NON_NULL_DATE_TIMES = new Set(['date_time_created', 'date_time_updated']);

const digest = loadSageDigest();
const sageSchema = (file: string, name: string): SageSchema | undefined =>
  digest.get(file)?.schemas.get(name);

const isNavigationObject = (sage: SageSchema): boolean =>
  sage.type === 'object' && Object.keys(sage.properties ?? {}).length === 0;

/** Why the field rules leave a Sage property out, or undefined if they keep it. */
function exclusion(qualifiedName: string, name: string, sage: SageSchema): string | undefined {
  if (sage['x-sage-professional-only'] === true && !KEPT_DESPITE_PROFESSIONAL_ONLY.has(qualifiedName)) {
    return 'Professional-only';
  }
  if (/^analysis_code_([6-9]|1\d|20)$/.test(name)) return 'analysis codes 6-20';
  if (sage.type === undefined) return 'no type';
  if (isNavigationObject(sage)) return 'navigation object (only the listed expandables are kept)';
  if (sage.type === 'array' && sage.items?.$ref !== undefined) return 'array of another resource';
  return undefined;
}

/** The nullability rule: business dates, and int64 `*_id` links the schema does not require. */
function shouldBeNullable(name: string, sage: SageSchema, required: readonly string[]): boolean {
  if (sage.format === 'date-time') return !NON_NULL_DATE_TIMES.has(name);
  return (
    sage.type === 'integer' && sage.format === 'int64' && name.endsWith('_id') && !required.includes(name)
  );
}

function ourTypes(schema: SchemaObject): string[] {
  return typeof schema.type === 'string' ? [schema.type] : [...(schema.type ?? [])];
}

/**
 * The format Sage's files give a field of ours. They call every date `date-time`; the contract declares the
 * business dates, which Sage serves without an offset, `date-time-local` (contracts/README.md, "Dates").
 */
function formatAsSageDeclares(mine: SchemaObject): string | undefined {
  // A field whose values do not have the format Sage's file declares (a traceable adjustment item's `warehouse_name`,
  // declared a date-time) drops `format` and keeps Sage's in x-sage-declared-format.
  const declared = mine['x-sage-declared-format'];
  if (typeof declared === 'string')
    return mine.format === undefined ? declared : `${declared} and ${mine.format}`;
  return mine.format === BUSINESS_DATE_FORMAT ? 'date-time' : mine.format;
}

const show = (value: unknown): string => (value === undefined ? 'none' : JSON.stringify(value));

/**
 * Compares an object schema of ours with Sage's at `at` (`customer`, `customer.main_address`, ...).
 * `sageName` is the Sage schema name, for the exception list.
 */
function compareObject(
  sageName: string,
  at: string,
  ours: SchemaObject,
  sage: SageSchema,
  problems: string[],
): void {
  // A create body may require a field Sage marks read-only (`x-sage-declared-read-only`) yet its POST writes: Sage's
  // nominal report categories are all read-only, and a category without its code could never be placed.
  const ourRequired = [...(ours.required ?? [])]
    .filter(
      (name) =>
        ours.properties?.[name]?.['x-sage-declared-read-only'] !== true ||
        (sage.required ?? []).includes(name),
    )
    .sort();
  const sageRequired = [...(sage.required ?? [])].sort();
  if (show(ourRequired) !== show(sageRequired)) {
    problems.push(`${at}: required ${show(ourRequired)}, Sage has ${show(sageRequired)}`);
  }
  const sageProperties = sage.properties ?? {};
  const ourProperties = ours.properties ?? {};

  for (const [name, mine] of Object.entries(ourProperties)) {
    const where = `${at}.${name}`;
    const theirs = sageProperties[name];
    if (!theirs) {
      problems.push(`${where}: not in Sage's schema`);
      continue;
    }
    const excludedBecause = exclusion(`${sageName}.${name}`, name, theirs);
    if (mine.$ref !== undefined) {
      if (!isNavigationObject(theirs))
        problems.push(`${where}: a $ref, but Sage's property is not a navigation object`);
      if (mine['x-sage-expandable'] !== true)
        problems.push(`${where}: a $ref without x-sage-expandable: true`);
      if (theirs['x-sage-professional-only'] === true) problems.push(`${where}: Professional-only`);
      if ((mine.readOnly ?? false) !== (theirs.readOnly ?? false)) {
        problems.push(`${where}: readOnly ${show(mine.readOnly)}, Sage has ${show(theirs.readOnly)}`);
      }
      continue;
    }
    // An order's `lines`: an array of another resource that the sandbox serves, kept as an expandable array whose
    // items are that resource's own schema (itself checked against Sage's).
    if (mine['x-sage-expandable'] === true && mine.items?.$ref !== undefined) {
      const declared = doc.components.schemas[mine.items.$ref.replace('#/components/schemas/', '')];
      // A writable record (`CustomerMemo`) names Sage's schema on the fields schema its allOf holds.
      const base = declared?.allOf?.[0]?.$ref?.replace('#/components/schemas/', '');
      const target = base === undefined ? declared : doc.components.schemas[base];
      const theirItems = theirs.items?.$ref?.replace('#/components/schemas/', '');
      if (theirs.type !== 'array' || theirItems === undefined || target?.['x-sage-schema'] !== theirItems) {
        problems.push(`${where}: an expandable array whose items are not Sage's ${theirItems ?? 'items'}`);
      }
      if ((mine.readOnly ?? false) !== (theirs.readOnly ?? false)) {
        problems.push(`${where}: readOnly ${show(mine.readOnly)}, Sage has ${show(theirs.readOnly)}`);
      }
      continue;
    }
    // A nominal code financial year's `period_balances`: an array of another Sage schema that no path serves, always
    // filled, whose items are the contract's schema naming Sage's (itself checked against Sage's).
    if (mine['x-sage-expandable'] !== true && mine.items?.$ref !== undefined) {
      const declared = doc.components.schemas[mine.items.$ref.replace('#/components/schemas/', '')];
      // A writable record (`CustomerMemo`) names Sage's schema on the fields schema its allOf holds.
      const base = declared?.allOf?.[0]?.$ref?.replace('#/components/schemas/', '');
      const target = base === undefined ? declared : doc.components.schemas[base];
      const theirItems = theirs.items?.$ref?.replace('#/components/schemas/', '');
      if (theirs.type !== 'array' || theirItems === undefined || target?.['x-sage-schema'] !== theirItems) {
        problems.push(`${where}: an array whose items are not Sage's ${theirItems ?? 'items'}`);
      }
      if ((mine.readOnly ?? false) !== (theirs.readOnly ?? false)) {
        problems.push(`${where}: readOnly ${show(mine.readOnly)}, Sage has ${show(theirs.readOnly)}`);
      }
      continue;
    }
    if (excludedBecause) problems.push(`${where}: should be left out (${excludedBecause})`);
    if (mine['x-sage-expandable'] !== undefined)
      problems.push(`${where}: x-sage-expandable on a non-$ref property`);

    const types = ourTypes(mine);
    const base = types.filter((type) => type !== 'null');
    if (base.length !== 1 || base[0] !== theirs.type) {
      problems.push(`${where}: type ${show(mine.type)}, Sage has ${show(theirs.type)}`);
    }
    const nullable = types.includes('null');
    const expected = shouldBeNullable(name, theirs, sage.required ?? []);
    if (nullable !== expected) problems.push(`${where}: ${expected ? 'should' : 'should not'} be nullable`);
    if (formatAsSageDeclares(mine) !== theirs.format)
      problems.push(`${where}: format ${show(mine.format)}, Sage has ${show(theirs.format)}`);
    if (mine.format === BUSINESS_DATE_FORMAT && mine.pattern !== BUSINESS_DATE_PATTERN)
      problems.push(`${where}: a business date without the business date pattern`);
    // Sage returns enum names longer than the maxLength its files declare for them (its own default
    // 'TradingAccountTypeOpenItem' is 26 characters against 20). Such a field drops maxLength and records
    // Sage's figure in x-sage-declared-max-length, which must still match.
    const declared = mine['x-sage-declared-max-length'];
    const ourMaxLength = declared === undefined ? mine.maxLength : declared;
    if (declared !== undefined && mine.maxLength !== undefined) {
      problems.push(`${where}: both maxLength and x-sage-declared-max-length`);
    }
    if (ourMaxLength !== theirs.maxLength) {
      problems.push(`${where}: maxLength ${show(ourMaxLength)}, Sage has ${show(theirs.maxLength)}`);
    }
    // Sage marks a department's `code` read-only yet its POST requires it: the create body's `code` drops readOnly
    // and records Sage's mark in x-sage-declared-read-only, which must still match.
    const declaredReadOnly = mine['x-sage-declared-read-only'];
    if (declaredReadOnly !== undefined && mine.readOnly !== undefined) {
      problems.push(`${where}: both readOnly and x-sage-declared-read-only`);
    }
    const ourReadOnly = declaredReadOnly === undefined ? (mine.readOnly ?? false) : declaredReadOnly === true;
    if (ourReadOnly !== (theirs.readOnly ?? false)) {
      problems.push(`${where}: readOnly ${show(ourReadOnly)}, Sage has ${show(theirs.readOnly)}`);
    }
    if (show(mine.default) !== show(theirs.default)) {
      problems.push(`${where}: default ${show(mine.default)}, Sage has ${show(theirs.default)}`);
    }
    if (theirs.type === 'object' && base[0] === 'object')
      compareObject(sageName, where, mine, theirs, problems);
    if (theirs.type === 'array' && base[0] === 'array') {
      if (!mine.items || !theirs.items || theirs.items.$ref !== undefined) {
        problems.push(`${where}: items do not match Sage's`);
      } else {
        compareObject(sageName, `${where}[]`, mine.items, theirs.items, problems);
      }
    }
  }

  for (const [name, theirs] of Object.entries(sageProperties)) {
    if (!(name in ourProperties) && exclusion(`${sageName}.${name}`, name, theirs) === undefined) {
      problems.push(`${at}.${name}: in Sage's schema and kept by the field rules, but missing`);
    }
  }
}

const doc = loadContract();
const mapped = Object.entries(doc.components.schemas).flatMap(([name, schema]) => {
  const sageName = schema['x-sage-schema'];
  const file = schema['x-sage-file'];
  return typeof sageName === 'string' ? [{ name, schema, sageName, file }] : [];
});
const SCHEMA_REF = '#/components/schemas/';

/** Records built on a fields schema (`Customer` over `CustomerFields`), by the name of the fields schema. */
const records = new Map<string, { name: string; schema: SchemaObject }>();
for (const [name, schema] of Object.entries(doc.components.schemas)) {
  const base = schema.allOf?.[0]?.$ref;
  if (base?.startsWith(SCHEMA_REF)) records.set(base.slice(SCHEMA_REF.length), { name, schema });
}

/** What is wrong with the shape of a record over a fields schema: allOf with one $ref, a required list, no more. */
function recordShapeProblems(name: string, schema: SchemaObject): string[] {
  const problems: string[] = [];
  const [part, ...others] = schema.allOf ?? [];
  const base = part?.$ref?.slice(SCHEMA_REF.length) ?? '';
  if (others.length > 0 || Object.keys(part ?? {}).length !== 1)
    problems.push(`${name}: allOf must be exactly one $ref`);
  if (!mapped.some((entry) => entry.name === base))
    problems.push(`${name}: allOf must name a schema with x-sage-schema`);
  if (schema.type !== 'object') problems.push(`${name}: type must be object`);
  const extra = Object.keys(schema).filter(
    (key) => !['type', 'description', 'allOf', 'required'].includes(key),
  );
  if (extra.length > 0) problems.push(`${name}: only type, description, allOf and required; found ${extra}`);
  for (const field of schema.required ?? []) {
    if (!doc.components.schemas[base]?.properties?.[field])
      problems.push(`${name}: required '${field}' is not a property of ${base}`);
  }
  return problems;
}

const cases = mapped.map(
  ({ name, schema, sageName, file }) => [name, sageName, String(file), schema] as const,
);

const coverage: { name: string; ours: number; sage: number }[] = [];

describe("record schemas conform to Sage's published schemas", () => {
  afterAll(() => {
    const rows = [...coverage].sort((a, b) => a.name.localeCompare(b.name));
    const lines = rows.map(({ name, ours, sage }) => {
      const percent = sage === 0 ? '-' : `${Math.round((100 * ours) / sage)}%`;
      return `${name.padEnd(28)}${`${ours} / ${sage}`.padStart(11)}${percent.padStart(7)}`;
    });
    const ours = rows.reduce((sum, row) => sum + row.ours, 0);
    const sage = rows.reduce((sum, row) => sum + row.sage, 0);
    console.log(
      [
        "Top-level fields: ours / Sage's",
        ...lines,
        `${'total'.padEnd(28)}${`${ours} / ${sage}`.padStart(11)}${`${Math.round((100 * ours) / sage)}%`.padStart(7)}`,
      ].join('\n'),
    );
  });

  it('names a Sage schema on every record schema', () => {
    // A collection the sandbox keeps for its views, which no path serves and Sage publishes no schema for (an
    // order's despatch lines), has a record schema of its own (mock-server/world/fields.test.ts holds it to it).
    const own = new Set(
      loadCatalog()
        .resources.filter((r) => !r.list && !r.byId)
        .map((r) => r.schema),
    );
    const unmapped = Object.keys(doc.components.schemas).filter(
      (name) =>
        !mapped.some((entry) => entry.name === name) &&
        ![...records.values()].some((record) => record.name === name) &&
        !own.has(name) &&
        !['ApplicationError', 'GatewayError', 'ODataMetadata'].includes(name),
    );
    expect(unmapped).toEqual([]);
    expect(mapped.filter(({ file }) => typeof file !== 'string').map(({ name }) => name)).toEqual([]);
  });

  it.each([...records.values()].map(({ name, schema }) => [name, schema] as const))(
    '%s is a fields schema plus a required list, and nothing else',
    (name, schema) => {
      expect(recordShapeProblems(name, schema)).toEqual([]);
    },
  );

  it.each(cases)("%s matches Sage's %s in %s", (name, sageName, file, schema) => {
    const sage = sageSchema(file, sageName);
    expect(
      sage,
      `${sageName} is not in ${file} in contracts/sage-digest.txt: npm run gen:sage-digest adds the schemas the contract names`,
    ).toBeDefined();
    if (!sage) return;
    const problems: string[] = [];
    // A fields schema requires nothing; the record built on it carries the required list held to Sage's.
    const record = records.get(name);
    if (record && schema.required !== undefined)
      problems.push(`${name}: a fields schema with a required list`);
    const compared = record ? { ...schema, required: record.schema.required ?? [] } : schema;
    compareObject(sageName, record ? `${sageName} (as ${record.name})` : sageName, compared, sage, problems);
    coverage.push({
      name,
      ours: Object.keys(schema.properties ?? {}).length,
      sage: Object.keys(sage.properties ?? {}).length,
    });
    expect(problems, `${name} differs from Sage's ${sageName}:\n${problems.join('\n')}`).toEqual([]);
  });
});
