/**
 * Reads scenario files (YAML or JSON: JSON is read as YAML, which it is) and checks them: the schema (schema.ts),
 * then every record and field against the contract. Every problem names the file, the line and the field; a file
 * with any problem is refused whole, before anything is applied.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { z } from 'zod';
import { loadCatalog } from '../../contracts/index.ts';
import { type FieldNode, fieldsOf } from '../world/fields.ts';
import { type ScenarioDocument, type ScenarioJson, scenarioSchema } from './schema.ts';

/** A path into a scenario document: keys and array indexes, as zod reports them. */
export type ScenarioPath = readonly (string | number)[];

export interface ScenarioProblem {
  /** The file's path, or a label (`scenarios[0]`) for a scenario given as an object. */
  source: string;
  /** 1-based line and column, when the scenario came from text. */
  line: number | undefined;
  column: number | undefined;
  /** The field as a path: `sites[0].companies[1].records.customers[0].name`. */
  field: string;
  message: string;
}

/** `file:line:column: field: message` (no line for a scenario given as an object). */
export function formatProblem(problem: ScenarioProblem): string {
  const where =
    problem.line === undefined ? problem.source : `${problem.source}:${problem.line}:${problem.column}`;
  return `${where}: ${problem.field || '(the file)'}: ${problem.message}`;
}

/** A refused scenario: every problem found, each naming its file, line and field. */
export class ScenarioError extends Error {
  constructor(readonly problems: readonly ScenarioProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
  }
}

/** A scenario that passed every check: its document and where each of its fields is written. */
export class LoadedScenario {
  constructor(
    readonly source: string,
    readonly document: ScenarioDocument,
    private readonly lines:
      | ((path: ScenarioPath) => { line: number; column: number } | undefined)
      | undefined,
  ) {}

  /** A problem at `path`, located in the file. */
  problem(path: ScenarioPath, message: string): ScenarioProblem {
    const at = this.lines?.(path);
    return { source: this.source, line: at?.line, column: at?.column, field: fieldName(path), message };
  }

  /** Throws a ScenarioError for one problem at `path`. */
  fail(path: ScenarioPath, message: string): never {
    throw new ScenarioError([this.problem(path, message)]);
  }
}

/** What `createSandbox({ scenarios })` and `--scenario` take: a file path, a parsed object, or a loaded scenario. */
export type ScenarioSource = string | Readonly<Record<string, unknown>> | LoadedScenario;

/** `a.b[0].c` from a path. */
export function fieldName(path: ScenarioPath): string {
  return path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${key}` : key),
    '',
  );
}

// The YAML parser is loaded with the first scenario, not when the sandbox starts.
const load = createRequire(import.meta.url);
const yamlLibrary = () => load('yaml') as typeof import('yaml');

/** Parses and checks scenario text (YAML or JSON); `source` names it in errors. */
export function parseScenario(text: string, source: string): LoadedScenario {
  const { isScalar, LineCounter, parseDocument } = yamlLibrary();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  const locate = (path: ScenarioPath) => {
    // The deepest node the path reaches: a missing field is reported where its object is.
    for (let length = path.length; length >= 0; length--) {
      const node = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) {
        const { line, col } = counter.linePos(range[0]);
        return { line, column: col };
      }
      if (isScalar(node)) break;
    }
    return undefined;
  };
  const syntax = [...doc.errors, ...doc.warnings];
  if (syntax.length > 0) {
    throw new ScenarioError(
      syntax.map((error) => {
        const at = error.linePos?.[0];
        return {
          source,
          line: at?.line,
          column: at?.col,
          field: '',
          message: `not valid YAML or JSON: ${error.message.split('\n')[0]}`,
        };
      }),
    );
  }
  return check(doc.toJS({ maxAliasCount: 100 }) as unknown, source, locate);
}

/** Reads and checks a scenario file. */
export function readScenarioFile(path: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScenarioError([
      {
        source: path,
        line: undefined,
        column: undefined,
        field: '',
        message: `cannot be read: ${(error as Error).message}`,
      },
    ]);
  }
  return parseScenario(text, path);
}

/** Checks a scenario given as an object (no lines to name: errors name `label` and the field). */
export function scenarioFromObject(value: unknown, label: string): LoadedScenario {
  return check(value, label, undefined);
}

/** Loads each source in order: paths are read, objects checked, loaded scenarios kept as they are. */
export function loadScenarios(sources: readonly ScenarioSource[]): LoadedScenario[] {
  return sources.map((source, i) => {
    if (source instanceof LoadedScenario) return source;
    if (typeof source === 'string') return readScenarioFile(source);
    return scenarioFromObject(source, `scenarios[${i}]`);
  });
}

function check(
  value: unknown,
  source: string,
  lines: ((path: ScenarioPath) => { line: number; column: number } | undefined) | undefined,
): LoadedScenario {
  const parsed = scenarioSchema.safeParse(value);
  if (!parsed.success) {
    const draft = new LoadedScenario(source, {} as ScenarioDocument, lines);
    throw new ScenarioError(parsed.error.issues.map((issue) => zodProblem(draft, issue)));
  }
  const scenario = new LoadedScenario(source, parsed.data, lines);
  const problems = contractProblems(scenario);
  if (problems.length > 0) throw new ScenarioError(problems);
  return scenario;
}

function zodProblem(scenario: LoadedScenario, issue: z.core.$ZodIssue): ScenarioProblem {
  const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const [key] = issue.keys;
    return scenario.problem(
      key === undefined ? path : [...path, key],
      `not a field of the scenario format (docs/scenarios.md): ${issue.keys.join(', ')}`,
    );
  }
  return scenario.problem(path, issue.message);
}

/** Collections a scenario may give records of: those the contract stores (no views, no enumerations). */
function storedCollections(): Map<string, string> {
  const stored = new Map<string, string>();
  for (const r of loadCatalog().resources) {
    if (r.viewOf || r.derivedFrom || r.enumeration || (!r.list && !r.byId)) continue;
    if (r.path === r.collection) stored.set(r.collection, r.key);
  }
  return stored;
}

let stored: Map<string, string> | undefined;

/** The key field of a stored collection, or undefined when the contract stores no such collection. */
export function collectionKey(collection: string): string | undefined {
  stored ??= storedCollections();
  return stored.get(collection);
}

/** Every record and named field checked against the contract's schemas, in the contract's words. */
function contractProblems(scenario: LoadedScenario): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const doc = scenario.document;
  const companies: [ScenarioPath, NonNullable<ScenarioDocument['companies']>[number]][] = [];
  doc.sites?.forEach((site, s) => {
    site.companies?.forEach((company, c) => {
      companies.push([['sites', s, 'companies', c], company]);
    });
  });
  doc.companies?.forEach((company, c) => {
    companies.push([['companies', c], company]);
  });
  for (const [at, company] of companies) {
    for (const [collection, records] of Object.entries(company.records ?? {})) {
      const key = collectionKey(collection);
      if (key === undefined) {
        problems.push(
          scenario.problem(
            [...at, 'records', collection],
            `${collection} is not a collection the contract stores (a path of contracts/sage200.openapi.yaml such as customers or nominal_codes)`,
          ),
        );
        continue;
      }
      const fields = fieldsOf(collection);
      records.forEach((record, i) => {
        const path = [...at, 'records', collection, i];
        if (typeof record[key] !== 'number' || !Number.isSafeInteger(record[key])) {
          problems.push(
            scenario.problem([...path, key], `a ${collection} record needs a whole-number ${key}`),
          );
        }
        checkFields(scenario, record, fields, path, problems);
      });
    }
    for (const [collection, list] of [
      ['customers', company.customers],
      ['suppliers', company.suppliers],
      ['products', company.products],
      ['nominal_codes', company.nominal_codes],
    ] as const) {
      const fields = fieldsOf(collection);
      list?.forEach((record, i) => {
        const path = [...at, collection, i];
        if ('id' in record) problems.push(scenario.problem([...path, 'id'], 'ids are given by the sandbox'));
        checkFields(scenario, record, fields, path, problems);
      });
    }
  }
  return problems;
}

const KIND_NAMES = {
  s: 'a string',
  d: 'a date-time string',
  i: 'a whole number',
  n: 'a number',
  b: 'true or false',
};

function checkFields(
  scenario: LoadedScenario,
  record: { readonly [field: string]: ScenarioJson | undefined },
  fields: readonly FieldNode[],
  at: ScenarioPath,
  problems: ScenarioProblem[],
): void {
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const [name, value] of Object.entries(record)) {
    const path = [...at, name];
    const field = byName.get(name);
    if (!field) {
      problems.push(scenario.problem(path, `not a field of this record in the contract`));
      continue;
    }
    if (value === null || value === undefined) continue;
    switch (field.kind) {
      case 'object':
        if (typeof value !== 'object' || Array.isArray(value))
          problems.push(scenario.problem(path, 'must be an object'));
        else checkFields(scenario, value, field.fields, path, problems);
        break;
      case 'array':
        if (!Array.isArray(value)) problems.push(scenario.problem(path, 'must be an array'));
        else
          value.forEach((item, i) => {
            if (item === null || typeof item !== 'object' || Array.isArray(item))
              problems.push(scenario.problem([...path, i], 'must be an object'));
            else checkFields(scenario, item, field.fields, [...path, i], problems);
          });
        break;
      default: {
        const ok =
          field.kind === 's' || field.kind === 'd'
            ? typeof value === 'string'
            : field.kind === 'b'
              ? typeof value === 'boolean'
              : field.kind === 'i'
                ? Number.isSafeInteger(value)
                : typeof value === 'number' && Number.isFinite(value);
        if (!ok) problems.push(scenario.problem(path, `must be ${KIND_NAMES[field.kind]}`));
      }
    }
  }
}
