/**
 * How a refused write body is worded: the one mapping from a problem (a JSON Schema error from Ajv, or a rule of
 * record-rules.ts) to the message of Sage's 400. The wording is ASP.NET Web API's (assumed: no real Sage 200
 * message is on record): Json.NET's "Error converting value ..." when a value does not bind to its .NET type,
 * DataAnnotations' "The X field is required." and "The field X must be a string with a maximum length of N.".
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { SchemaObject } from '../../contracts/index.ts';
import { dotnetType } from './dotnet.ts';

/** `emails[0].email` for the JSON pointer `/emails/0/email`, after `prefix` (`lines[1].` for an order line). */
export function fieldPath(pointer: string, prefix = ''): string {
  let out = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (/^\d+$/.test(token)) out += `[${token}]`;
    else out += out === '' || out.endsWith('.') ? token : `.${token}`;
  }
  return out;
}

function conversionMessage(value: unknown, schema: SchemaObject, path: string): string {
  const shown = value === null ? '{null}' : JSON.stringify(value);
  return `Error converting value ${shown} to type '${dotnetType(schema)}'. Path '${path}'.`;
}

export function requiredMessage(path: string): string {
  return `The ${path} field is required.`;
}

export function readOnlyMessage(path: string): string {
  return `The field ${path} is read-only.`;
}

/** An inline array item (a bank's `emails`) whose `id` is not one of the stored record's items. */
export function unknownItemMessage(id: unknown, path: string): string {
  return `No item was found with the Id '${String(id)}' given in ${path}.`;
}

/** A Sage enum field given a name that is not one of its members. */
function enumMessage(value: unknown, path: string, members: readonly unknown[]): string {
  return `The value '${String(value)}' is not valid for ${path}. Valid values: ${members.join(', ')}.`;
}

/**
 * An Ajv error (from a validator compiled with `verbose`, so it carries the failing value and its schema) in
 * Sage's words; `path` names the field.
 */
export function schemaErrorMessage(error: ErrorObject, path: string): string {
  const schema = (error.parentSchema ?? {}) as SchemaObject;
  switch (error.keyword) {
    case 'type':
    case 'format':
      return conversionMessage(error.data, schema, path);
    case 'maxLength':
      return `The field ${path} must be a string with a maximum length of ${String(error.params.limit)}.`;
    case 'enum':
      return enumMessage(error.data, path, error.params.allowedValues as readonly unknown[]);
    default:
      return `The field ${path} is not valid: ${error.message ?? error.keyword}.`;
  }
}
