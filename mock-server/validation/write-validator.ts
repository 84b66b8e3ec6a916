/**
 * The one validator of every write body, CRUD and postings alike: the contract's component schema compiled with
 * Ajv (types, .NET ranges and dates, maxLength, enum members), plus the record rules of record-rules.ts. The first
 * problem (problems.ts) becomes the 400, worded by sage-messages.ts.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import {
  createContractSchemas,
  escapePointer,
  loadContract,
  type OpenApiDocument,
  objectSchema,
  type SchemaObject,
  type Schemas,
} from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { SageRecord } from '../world/model.ts';
import { BINDS_WIDER_THAN_PATTERN, bindingFormat } from './dotnet.ts';
import { firstProblem, keywordRank, type Problem } from './problems.ts';
import { type BodyWalk, type RecordWrite, walkBody } from './record-rules.ts';
import { fieldPath, schemaErrorMessage } from './sage-messages.ts';

export interface WriteValidator {
  /**
   * Checks a CRUD body against the component schema `name` and the stored record; returns the patch it makes
   * (the writable fields sent, normalised). Throws the 400 for the first problem.
   */
  checkRecord(name: string, body: Record<string, unknown>, record: RecordWrite, prefix?: string): SageRecord;
  /** Checks a body written to no stored record (a posting's) against the component schema `name`. */
  checkBody(name: string, body: unknown): void;
}

const DOCUMENT_ID = 'urn:sage200-sandbox:contract:writes';

function isUnder(pointer: string, skipped: readonly string[]): boolean {
  return skipped.some((at) => pointer === at || pointer.startsWith(`${at}/`));
}

/** A `pattern` error on a value whose format binds more shapes than the pattern (a business date). */
function boundWiderThanPattern(error: ErrorObject): boolean {
  const format = (error.parentSchema as SchemaObject | undefined)?.format;
  return error.keyword === 'pattern' && format !== undefined && BINDS_WIDER_THAN_PATTERN.has(format);
}

/**
 * Ajv's errors as problems. `required` errors are left to the record rules, which see [Required] as Sage does
 * (null and blank strings are missing too) and honour a resource's own required list.
 */
function schemaProblems(errors: readonly ErrorObject[], walk: BodyWalk, prefix: string): Problem[] {
  return errors
    .filter(
      (error) =>
        error.keyword !== 'required' &&
        !boundWiderThanPattern(error) &&
        !isUnder(error.instancePath, walk.skipped),
    )
    .map((error) => ({
      ordinal: walk.ordinals.get(error.instancePath) ?? Number.POSITIVE_INFINITY,
      rank: keywordRank(error.keyword),
      message: schemaErrorMessage(error, fieldPath(error.instancePath, prefix)),
    }));
}

export function createWriteValidator(doc: OpenApiDocument): WriteValidator {
  const { compile } = createContractSchemas(doc, {
    id: DOCUMENT_ID,
    validatedFormats: [],
    format: bindingFormat,
    ajvOptions: { verbose: true },
  });
  const merged = new Map<string, SchemaObject>();
  const schemaOf = (name: string): SchemaObject => {
    let schema = merged.get(name);
    if (!schema) {
      const declared = doc.components.schemas[name];
      if (!declared) throw new Error(`contract has no schema ${name}`);
      schema = objectSchema(doc, declared);
      merged.set(name, schema);
    }
    return schema;
  };

  const check = (
    name: string,
    body: unknown,
    record: RecordWrite | undefined,
    prefix: string,
  ): SageRecord => {
    const walk = walkBody(doc, schemaOf(name), body, record, prefix);
    const validate = compile(`/components/schemas/${escapePointer(name)}`);
    const errors = validate(body) ? [] : schemaProblems(validate.errors ?? [], walk, prefix);
    const first = firstProblem([...walk.problems, ...errors]);
    if (first) throw badRequest(first.message);
    return walk.patch;
  };

  return {
    checkRecord: (name, body, record, prefix = '') => check(name, body, record, prefix),
    checkBody: (name, body) => {
      check(name, body, undefined, '');
    },
  };
}

let shared: WriteValidator | undefined;

/** The validator over the sandbox's contract, built on first use and shared. */
export function writeValidator(): WriteValidator {
  shared ??= createWriteValidator(loadContract());
  return shared;
}

/** A posting body checked against its contract schema (the first problem is the 400), typed as the contract says. */
export function checkPosting<Name extends keyof Schemas>(name: Name, body: unknown): Schemas[Name] {
  writeValidator().checkBody(name, body);
  // The types are generated from the schema the body was just checked against.
  return body as Schemas[Name];
}
