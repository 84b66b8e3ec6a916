/**
 * Emits `contracts/generated/zod.ts`: one zod 4 schema per component schema of the contract. It handles only the
 * keywords the contract uses and throws on any other, so a new keyword cannot be dropped silently.
 * zod 4 API: https://zod.dev/api
 */
import type { OpenApiDocument, SchemaObject } from '../openapi-document.ts';

const SCHEMA_REF = '#/components/schemas/';

/** Keywords that only document a schema: nothing to validate. */
const ANNOTATIONS = new Set(['description', 'readOnly', 'default', 'format']);
const HANDLED = new Set([
  ...ANNOTATIONS,
  '$ref',
  'type',
  'maxLength',
  'pattern',
  'enum',
  'minimum',
  'maximum',
  'required',
  'properties',
  'items',
  'oneOf',
  'allOf',
]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : quote(name);
}

function refName(ref: string, at: string): string {
  if (!ref.startsWith(SCHEMA_REF))
    throw new Error(`zod emitter: ${at}: only ${SCHEMA_REF}* refs are supported`);
  return ref.slice(SCHEMA_REF.length);
}

function checkKeywords(schema: SchemaObject, at: string): void {
  for (const key of Object.keys(schema)) {
    if (!HANDLED.has(key) && !key.startsWith('x-')) {
      throw new Error(
        `zod emitter: ${at}: keyword '${key}' is not supported; teach contracts/scripts/zod-emitter.ts`,
      );
    }
  }
}

/** The names of the component schemas that `schema` refers to, directly or through nested schemas. */
function dependencies(schema: SchemaObject, at: string): string[] {
  const out: string[] = [];
  if (schema.$ref !== undefined) out.push(refName(schema.$ref, at));
  for (const [name, child] of Object.entries(schema.properties ?? {}))
    out.push(...dependencies(child, `${at}.${name}`));
  if (schema.items) out.push(...dependencies(schema.items, `${at}[]`));
  for (const [index, option] of (schema.oneOf ?? []).entries())
    out.push(...dependencies(option, `${at}|${index}`));
  for (const [index, part] of (schema.allOf ?? []).entries())
    out.push(...dependencies(part, `${at}&${index}`));
  return out;
}

interface EmitContext {
  /** Schemas already declared above the one being emitted; a ref to any other needs z.lazy. */
  declared: ReadonlySet<string>;
  indent: string;
}

/** A string enum: its members (a `maxLength` beside it holds for them all, so it adds nothing). */
function emitEnum(type: string, members: readonly unknown[], at: string): string {
  const names = members.filter((member): member is string => typeof member === 'string');
  if (type !== 'string' || names.length === 0 || names.length !== members.length) {
    throw new Error(`zod emitter: ${at}: only a non-empty enum of strings is supported`);
  }
  return `z.enum([${names.map(quote).join(', ')}])`;
}

function emitType(type: string, schema: SchemaObject, at: string, context: EmitContext): string {
  if (schema.enum !== undefined) return emitEnum(type, schema.enum, at);
  switch (type) {
    case 'string': {
      let out = 'z.string()';
      if (schema.maxLength !== undefined) out += `.max(${schema.maxLength})`;
      if (schema.pattern !== undefined) out += `.regex(new RegExp(${quote(schema.pattern)}))`;
      return out;
    }
    case 'integer':
    case 'number': {
      let out = type === 'integer' ? 'z.number().int()' : 'z.number()';
      if (schema.minimum !== undefined) out += `.min(${schema.minimum})`;
      if (schema.maximum !== undefined) out += `.max(${schema.maximum})`;
      return out;
    }
    case 'boolean':
      return 'z.boolean()';
    case 'array':
      if (!schema.items) throw new Error(`zod emitter: ${at}: an array needs items`);
      return `z.array(${emitSchema(schema.items, `${at}[]`, context)})`;
    case 'object':
      return emitObject(schema, at, context);
    default:
      throw new Error(`zod emitter: ${at}: type '${type}' is not supported`);
  }
}

function emitObject(schema: SchemaObject, at: string, context: EmitContext): string {
  const entries = Object.entries(schema.properties ?? {});
  if (entries.length === 0) throw new Error(`zod emitter: ${at}: an object needs properties`);
  const required = new Set(schema.required ?? []);
  for (const name of required) {
    if (!schema.properties?.[name]) throw new Error(`zod emitter: ${at}: required '${name}' has no property`);
  }
  const inner = `${context.indent}  `;
  const lines = entries.map(([name, child]) => {
    const value = emitSchema(child, `${at}.${name}`, { ...context, indent: inner });
    // exactOptional, not optional: the generated types say `field?: T` (no `| undefined`), and the repo compiles
    // with exactOptionalPropertyTypes, under which the two differ.
    return `${inner}${propertyKey(name)}: ${value}${required.has(name) ? '' : '.exactOptional()'},`;
  });
  return `z.object({\n${lines.join('\n')}\n${context.indent}})`;
}

/**
 * A record built on another schema: `allOf` with one `$ref` (the fields, none required) and this schema's own
 * `required` list, e.g. `Customer` over `CustomerFields`. Emitted as the fields schema with those fields required,
 * which infers what openapi-typescript's `WithRequired<CustomerFields, 'name' | 'reference'>` says.
 */
function emitAllOf(schema: SchemaObject, at: string, context: EmitContext): string {
  const [part, ...others] = schema.allOf ?? [];
  const extra = Object.keys(schema).filter(
    (key) => !['allOf', 'required', 'type', ...ANNOTATIONS].includes(key) && !key.startsWith('x-'),
  );
  if (part?.$ref === undefined || others.length > 0 || Object.keys(part).length > 1 || extra.length > 0) {
    throw new Error(
      `zod emitter: ${at}: allOf is supported only as one $ref plus a required list (and type: object)`,
    );
  }
  if (schema.type !== undefined && schema.type !== 'object')
    throw new Error(`zod emitter: ${at}: allOf needs type object`);
  const name = refName(part.$ref, at);
  if (!context.declared.has(name))
    throw new Error(`zod emitter: ${at}: allOf refers to '${name}', which is part of a cycle`);
  const required = schema.required ?? [];
  if (required.length === 0) return name;
  return `${name}.required({ ${required.map((field) => `${propertyKey(field)}: true`).join(', ')} })`;
}

function emitSchema(schema: SchemaObject, at: string, context: EmitContext): string {
  checkKeywords(schema, at);
  if (schema.allOf !== undefined) return emitAllOf(schema, at, context);
  if (schema.$ref !== undefined) {
    const name = refName(schema.$ref, at);
    return context.declared.has(name) ? name : `z.lazy(() => ${name})`;
  }
  if (schema.oneOf) {
    const options = schema.oneOf.map((option, index) => emitSchema(option, `${at}|${index}`, context));
    return `z.union([${options.join(', ')}])`;
  }
  const types = typeof schema.type === 'string' ? [schema.type] : [...(schema.type ?? [])];
  const nullable = types.includes('null');
  const concrete = types.filter((type) => type !== 'null');
  const [type, ...others] = concrete;
  if (type === undefined || others.length > 0) {
    throw new Error(
      `zod emitter: ${at}: expected one type, optionally with 'null'; got ${JSON.stringify(schema.type)}`,
    );
  }
  const base = emitType(type, schema, at, context);
  return nullable ? `${base}.nullable()` : base;
}

function jsDoc(text: string | undefined): string {
  if (text === undefined) return '';
  const body = text.replaceAll('*/', '*\\/').split('\n');
  return body.length === 1
    ? `/** ${body[0]} */\n`
    : `/**\n${body.map((line) => ` * ${line}`.trimEnd()).join('\n')}\n */\n`;
}

type Edges = ReadonlyMap<string, ReadonlySet<string>>;

function referenceEdges(doc: OpenApiDocument): Edges {
  return new Map(
    Object.entries(doc.components.schemas).map(([name, schema]) => [
      name,
      new Set(dependencies(schema, name)),
    ]),
  );
}

/** The schemas of `edges` that reach themselves through their references (a contact and its emails). */
function cyclicSchemas(edges: Edges): Set<string> {
  const cyclic = new Set<string>();
  for (const start of edges.keys()) {
    const seen = new Set<string>();
    const stack = [...(edges.get(start) ?? [])];
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (name === start) {
        cyclic.add(start);
        break;
      }
      if (seen.has(name) || !edges.has(name)) continue;
      seen.add(name);
      stack.push(...(edges.get(name) ?? []));
    }
  }
  return cyclic;
}

/**
 * The schemas typed by the generated types rather than inferred: TypeScript cannot infer a schema that refers back
 * to itself, so each cycle needs one. A schema another extends (`ProductFields`, whose `.required()` makes
 * `Product`) must stay a zod object, so it is left out while the rest of its cycles can break them.
 */
function annotatedSchemas(doc: OpenApiDocument): Set<string> {
  const edges = referenceEdges(doc);
  const bases = new Set(
    Object.values(doc.components.schemas).flatMap((schema) => {
      const base = schema.allOf?.[0]?.$ref?.split('/').pop();
      return base === undefined ? [] : [base];
    }),
  );
  const annotated = new Set([...cyclicSchemas(edges)].filter((name) => !bases.has(name)));
  const inferred = new Map([...edges].filter(([name]) => !annotated.has(name)));
  const unbroken = cyclicSchemas(inferred);
  if (unbroken.size > 0) {
    throw new Error(
      `zod emitter: a cycle of schemas others extend cannot be typed: ${[...unbroken].join(', ')}`,
    );
  }
  return annotated;
}

/** The text of `contracts/generated/zod.ts` for `doc`: deterministic, dependencies declared before use. */
export function emitZod(doc: OpenApiDocument): string {
  const all = doc.components.schemas;
  const names = Object.keys(all);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    if (state.has(name)) return; // done, or a cycle: the back edge is emitted as z.lazy
    const schema = all[name];
    if (!schema) throw new Error(`zod emitter: no component schema '${name}'`);
    state.set(name, 'visiting');
    for (const dependency of dependencies(schema, name)) visit(dependency);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of names) visit(name);

  const cyclic = annotatedSchemas(doc);
  const declared = new Set<string>();
  const blocks: string[] = [];
  for (const name of order) {
    const schema = all[name]!;
    const expression = emitSchema(schema, name, { declared, indent: '' });
    declared.add(name);
    // TypeScript cannot infer a schema that refers back to itself: it is typed by the generated types instead.
    const annotation = cyclic.has(name) ? `: z.ZodType<components['schemas'][${quote(name)}]>` : '';
    blocks.push(`${jsDoc(schema.description)}export const ${name}${annotation} = ${expression};\n`);
  }
  const index = `export const schemas = {\n${names.map((name) => `  ${name},`).join('\n')}\n} as const;\n`;
  return [
    '// Generated by contracts/scripts/generate.ts from contracts/sage200.openapi.yaml: do not edit.',
    '// Change the YAML, then run `npm run gen:contracts`.',
    '',
    "import { z } from 'zod';",
    ...(cyclic.size > 0 ? ["import type { components } from './sage200.d.ts';"] : []),
    '',
    blocks.join('\n'),
    '/** Every component schema of the contract, by name. */',
    index,
  ].join('\n');
}
