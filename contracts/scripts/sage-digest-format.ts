/**
 * The digest of Sage's published OpenAPI files (`contracts/sage-digest.txt`): the facts the contract tests hold the
 * contract to, so they run in a clone without Sage's files. Builds it from Sage's files, writes it as text and reads
 * it back; the format is described in contracts/README.md. https://spec.openapis.org/oas/v3.0.1
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contractPath } from '../contract.ts';
import { HTTP_METHODS, type OpenApiDocument } from '../openapi-document.ts';

/** The facts of one node of a Sage schema: the keywords the contract tests compare, nothing else. */
export interface SageSchema {
  type?: string;
  format?: string;
  maxLength?: number;
  readOnly?: boolean;
  default?: unknown;
  required?: string[];
  properties?: Record<string, SageSchema>;
  items?: SageSchema;
  $ref?: string;
  'x-sage-professional-only'?: boolean;
}

/** One operation of a Sage file; `professionalOnly` when the operation or its path is Professional-only. */
export interface SageOperation {
  method: string;
  path: string;
  professionalOnly: boolean;
}

/** What the digest holds of one Sage file. */
export interface SageFileDigest {
  /** SHA-256 of the file's bytes, hex: the digest is stale when the file's differs. */
  sha256: string;
  operations: SageOperation[];
  /** The schemas the contract names (`x-sage-schema` with `x-sage-file`), in the file's order. */
  schemas: Map<string, SageSchema>;
}

/** Sage's files by name, in name order. */
export type SageDigest = Map<string, SageFileDigest>;

/** Absolute path of `contracts/sage-digest.txt`. */
export const sageDigestPath: string = path.join(path.dirname(contractPath), 'sage-digest.txt');

/** Thrown for a Sage file or a digest the format cannot hold or read. */
export class SageDigestError extends Error {
  override name = 'SageDigestError';
}

const SCHEMA_REF = '#/components/schemas/';
const PROFESSIONAL_ONLY = 'x-sage-professional-only';
const FLAGS = ['readOnly', PROFESSIONAL_ONLY] as const;

const HEADER = [
  "# Facts from Sage 200's published OpenAPI files, for the contract tests: each file's operations, and each schema",
  '# the contract names (x-sage-schema) with the type, format, maxLength, readOnly, default and required list of',
  '# every field. Written by `npm run gen:sage-digest`; do not edit. The format: contracts/README.md.',
];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The facts of a Sage schema node; throws on a keyword of the wrong kind, naming where. */
function schemaFacts(node: unknown, at: string): SageSchema {
  if (!isRecord(node)) throw new SageDigestError(`${at}: not a schema object`);
  const wrong = (keyword: string): never => {
    throw new SageDigestError(
      `${at}: ${keyword} ${JSON.stringify(node[keyword])} is not what the digest holds`,
    );
  };
  const facts: SageSchema = {};
  const { type, format, maxLength, readOnly, required, properties, items, $ref } = node;
  if (type !== undefined) facts.type = typeof type === 'string' ? type : wrong('type');
  if ($ref !== undefined) {
    facts.$ref = typeof $ref === 'string' && $ref.startsWith(SCHEMA_REF) ? $ref : wrong('$ref');
  }
  if (format !== undefined) facts.format = typeof format === 'string' ? format : wrong('format');
  if (maxLength !== undefined) {
    facts.maxLength = Number.isSafeInteger(maxLength) ? (maxLength as number) : wrong('maxLength');
  }
  if (readOnly !== undefined) facts.readOnly = typeof readOnly === 'boolean' ? readOnly : wrong('readOnly');
  const professionalOnly = node[PROFESSIONAL_ONLY];
  if (professionalOnly !== undefined) {
    facts[PROFESSIONAL_ONLY] =
      typeof professionalOnly === 'boolean' ? professionalOnly : wrong(PROFESSIONAL_ONLY);
  }
  if (required !== undefined) {
    const names = Array.isArray(required) && required.every((name) => typeof name === 'string');
    facts.required = names ? (required as string[]) : wrong('required');
  }
  if (properties !== undefined) {
    if (!isRecord(properties)) wrong('properties');
    facts.properties = Object.fromEntries(
      Object.entries(properties as Record<string, unknown>).map(([name, child]) => [
        name,
        schemaFacts(child, `${at}.${name}`),
      ]),
    );
  }
  if (items !== undefined) facts.items = schemaFacts(items, `${at}[]`);
  if (node.default !== undefined) facts.default = node.default;
  return facts;
}

function operationsOf(paths: unknown, file: string): SageOperation[] {
  if (!isRecord(paths)) throw new SageDigestError(`${file}: no paths object`);
  const operations: SageOperation[] = [];
  for (const [sagePath, item] of Object.entries(paths)) {
    if (!isRecord(item)) throw new SageDigestError(`${file} ${sagePath}: not a path item`);
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      if (!isRecord(operation)) throw new SageDigestError(`${file} ${method} ${sagePath}: not an operation`);
      const professionalOnly = item[PROFESSIONAL_ONLY] === true || operation[PROFESSIONAL_ONLY] === true;
      operations.push({ method, path: sagePath, professionalOnly });
    }
  }
  return operations;
}

/** The schemas the contract names, by Sage file: `x-sage-schema` and `x-sage-file` on its component schemas. */
export function schemasNamedBy(contract: OpenApiDocument): Map<string, Set<string>> {
  const named = new Map<string, Set<string>>();
  for (const schema of Object.values(contract.components.schemas)) {
    const [name, file] = [schema['x-sage-schema'], schema['x-sage-file']];
    if (typeof name !== 'string' || typeof file !== 'string') continue;
    const names = named.get(file) ?? new Set<string>();
    named.set(file, names.add(name));
  }
  return named;
}

/**
 * The digest of Sage's files (`file`: its name, `bytes`: its content), keeping the schemas `named` lists by file.
 * A name the file lacks is left out, for the conformance test to report.
 */
export function buildSageDigest(
  files: readonly { file: string; bytes: Buffer }[],
  named: ReadonlyMap<string, ReadonlySet<string>>,
): SageDigest {
  const digest: SageDigest = new Map();
  for (const { file, bytes } of [...files].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    const document: unknown = JSON.parse(bytes.toString('utf8'));
    if (!isRecord(document) || !isRecord(document.components) || !isRecord(document.components.schemas)) {
      throw new SageDigestError(`${file}: no components.schemas`);
    }
    const wanted = named.get(file) ?? new Set<string>();
    const schemas = new Map<string, SageSchema>();
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      if (wanted.has(name)) schemas.set(name, schemaFacts(schema, `${file} ${name}`));
    }
    digest.set(file, {
      sha256: createHash('sha256').update(bytes).digest('hex'),
      operations: operationsOf(document.paths, file),
      schemas,
    });
  }
  return digest;
}

/** A value after `key=`: bare when it has no space or quote, else a JSON string. */
const word = (value: string): string => (/^[^\s"]+$/.test(value) ? value : JSON.stringify(value));

/** A name standing alone (a file, path, schema or type), which the format writes bare. */
function name(value: string, at: string): string {
  if (!/^[^\s"=]+$/.test(value)) throw new SageDigestError(`${at}: '${value}' has a space, quote or =`);
  return value;
}

/** A schema node's own facts as tokens (its properties and items get lines of their own). */
function nodeTokens(node: SageSchema, at: string): string[] {
  const tokens: string[] = [];
  if (node.type !== undefined) tokens.push(name(node.type, at));
  if (node.$ref !== undefined) tokens.push(`$ref=${name(node.$ref.slice(SCHEMA_REF.length), at)}`);
  if (node.format !== undefined) tokens.push(`format=${word(node.format)}`);
  if (node.maxLength !== undefined) tokens.push(`maxLength=${node.maxLength}`);
  for (const flag of FLAGS) {
    if (node[flag] !== undefined) tokens.push(node[flag] ? flag : `${flag}=false`);
  }
  if (node.required !== undefined) {
    if (node.required.some((name) => /[\s,"]/.test(name)))
      throw new SageDigestError(`${at}: a required name with a space, comma or quote`);
    tokens.push(`required=${node.required.join(',')}`);
  }
  if (node.properties !== undefined && Object.keys(node.properties).length === 0)
    tokens.push('properties={}');
  // Last, as it runs to the end of the line.
  if (node.default !== undefined) tokens.push(`default=${JSON.stringify(node.default)}`);
  return tokens;
}

function* nodeLines(node: SageSchema, at: string): Generator<string> {
  for (const [property, child] of Object.entries(node.properties ?? {})) {
    if (/[.[\]]/.test(property)) throw new SageDigestError(`${at}: property name '${property}'`);
    const childAt = name(at === '' ? property : `${at}.${property}`, at);
    yield `  ${childAt} ${nodeTokens(child, childAt).join(' ')}`;
    yield* nodeLines(child, childAt);
  }
  if (node.items !== undefined) {
    yield `  ${at}[] ${nodeTokens(node.items, `${at}[]`).join(' ')}`;
    yield* nodeLines(node.items, `${at}[]`);
  }
}

/** The digest as text: one line per file, operation, schema and field; the same digest always gives the same text. */
export function formatSageDigest(digest: SageDigest): string {
  const lines = [...HEADER];
  for (const [file, { sha256, operations, schemas }] of digest) {
    lines.push('', `file ${name(file, file)} sha256=${sha256}`);
    for (const { method, path: sagePath, professionalOnly } of operations) {
      const flag = professionalOnly ? ` ${PROFESSIONAL_ONLY}` : '';
      lines.push(`operation ${method} ${name(sagePath, file)}${flag}`);
    }
    for (const [schemaName, schema] of schemas) {
      lines.push(`schema ${name(schemaName, file)} ${nodeTokens(schema, schemaName).join(' ')}`);
      lines.push(...nodeLines(schema, ''));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Throws a SageDigestError naming the line read. */
type Fail = (why: string) => never;

function json(raw: string, fail: Fail): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return fail(`'${raw}' is not JSON`);
  }
}

/** Splits a line's tokens into `[key, value]`: a bare word, `key=word`, `key="json string"`, `default=<json>`. */
function tokenize(text: string, fail: Fail): [string, string | undefined][] {
  const tokens: [string, string | undefined][] = [];
  let rest = text.trim();
  while (rest !== '') {
    const key = /^[^\s="]+/.exec(rest)?.[0] ?? fail(`cannot read '${rest}'`);
    rest = rest.slice(key.length);
    let value: string | undefined;
    if (rest.startsWith('=')) {
      rest = rest.slice(1);
      const quoted = rest.startsWith('"') ? /^"(?:[^"\\]|\\.)*"/.exec(rest)?.[0] : undefined;
      const raw = key === 'default' ? rest : (quoted ?? /^\S*/.exec(rest)?.[0] ?? '');
      rest = rest.slice(raw.length);
      value = quoted !== undefined && key !== 'default' ? String(json(quoted, fail)) : raw;
    }
    if (rest !== '' && !/^\s/.test(rest)) fail(`cannot read '${rest}'`);
    tokens.push([key, value]);
    rest = rest.trimStart();
  }
  return tokens;
}

function readNode(tokens: [string, string | undefined][], fail: Fail): SageSchema {
  const node: SageSchema = {};
  for (const [index, [key, value]] of tokens.entries()) {
    const flag = FLAGS.find((name) => name === key);
    if (value === undefined && flag === undefined) {
      if (index !== 0) fail(`'${key}' is neither a flag nor key=value`);
      node.type = key;
    } else if (flag !== undefined) {
      if (value !== undefined && value !== 'false') fail(`${flag}=${value}`);
      node[flag] = value === undefined;
    } else if (key === '$ref') node.$ref = `${SCHEMA_REF}${value}`;
    else if (key === 'format') node.format = value ?? '';
    else if (key === 'maxLength') {
      const maxLength = Number(value);
      node.maxLength = Number.isSafeInteger(maxLength) ? maxLength : fail(`maxLength=${value}`);
    } else if (key === 'required') node.required = value === '' ? [] : (value ?? '').split(',');
    else if (key === 'properties') node.properties = value === '{}' ? {} : fail(`properties=${value}`);
    else if (key === 'default') node.default = json(value ?? '', fail);
    else fail(`unknown key '${key}'`);
  }
  return node;
}

/** Where a field line puts its node: `main_address.postcode`, `lines[]`, `lines[].discount`. */
function place(schema: SageSchema, at: string, node: SageSchema, fail: Fail): void {
  const steps = at.match(/[^.[\]]+|\[\]/g) ?? fail(`field path '${at}'`);
  if (steps.join('.').replaceAll('.[]', '[]') !== at) fail(`field path '${at}'`);
  let parent = schema;
  for (const step of steps.slice(0, -1)) {
    const { items, properties = {} } = parent;
    const next = step === '[]' ? items : Object.hasOwn(properties, step) ? properties[step] : undefined;
    parent = next ?? fail(`'${at}' comes before its parent`);
  }
  const last = steps[steps.length - 1] ?? fail(`field path '${at}'`);
  if (last === '[]') {
    if (parent.items !== undefined) fail(`'${at}' twice`);
    parent.items = node;
  } else {
    parent.properties ??= {};
    if (Object.hasOwn(parent.properties, last)) fail(`'${at}' twice`);
    // Defined, not assigned, so that a field named `__proto__` stays a field.
    Object.defineProperty(parent.properties, last, {
      value: node,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}

/** Reads the digest's text (`source` names it in errors); throws SageDigestError naming the line. */
export function parseSageDigest(text: string, source: string): SageDigest {
  const digest: SageDigest = new Map();
  let file: SageFileDigest | undefined;
  let schema: SageSchema | undefined;
  for (const [index, line] of text.split('\n').entries()) {
    const fail = (why: string): never => {
      throw new SageDigestError(`${source}:${index + 1}: ${why}`);
    };
    if (line.trim() === '' || line.startsWith('#')) continue;
    const tokens = tokenize(line, fail);
    const bare = (at: number): string => {
      const [key, value] = tokens[at] ?? fail(`too few words`);
      return value === undefined ? key : fail(`'${key}=${value}' where a name belongs`);
    };
    if (line.startsWith('  ')) {
      place(schema ?? fail('a field before any schema'), bare(0), readNode(tokens.slice(1), fail), fail);
      continue;
    }
    const kind = bare(0);
    if (kind === 'file') {
      const [key, sha256] = tokens[2] ?? fail('file <name> sha256=<hex>');
      if (key !== 'sha256' || !/^[0-9a-f]{64}$/.test(sha256 ?? '') || tokens.length !== 3)
        fail('file <name> sha256=<hex>');
      file = { sha256: sha256 ?? '', operations: [], schemas: new Map() };
      schema = undefined;
      digest.set(bare(1), file);
    } else if (kind === 'operation') {
      const { operations } = file ?? fail('an operation before any file');
      const flag = tokens.length === 4 ? bare(3) : undefined;
      if ((flag !== undefined && flag !== PROFESSIONAL_ONLY) || tokens.length > 4)
        fail(`operation <method> <path> [${PROFESSIONAL_ONLY}]`);
      operations.push({ method: bare(1), path: bare(2), professionalOnly: flag !== undefined });
    } else if (kind === 'schema') {
      const { schemas } = file ?? fail('a schema before any file');
      schema = readNode(tokens.slice(2), fail);
      schemas.set(bare(1), schema);
    } else fail(`unknown line '${kind}'`);
  }
  return digest;
}

/** The committed digest, `contracts/sage-digest.txt`. */
export function loadSageDigest(): SageDigest {
  return parseSageDigest(readFileSync(sageDigestPath, 'utf8'), path.basename(sageDigestPath));
}
