/**
 * The context every write runs in (writable.ts `WriteContext`), made from a request: its company, user and the
 * sandbox clock's time, and the contract's component schemas with their `allOf` parts merged.
 */
import type { Context } from 'hono';
import { loadContract, objectSchema, type SchemaObject } from '../../contracts/index.ts';
import type { ApiEnv } from '../gateway/index.ts';
import type { ApiDeps } from './route-helpers.ts';
import type { WriteContext } from './writable.ts';

/** A component schema by name, `allOf` merged (`Customer` is `CustomerFields` plus Sage's required list). */
export function schemaCache(): (name: string) => SchemaObject {
  const contract = loadContract();
  const schemas = new Map<string, SchemaObject>();
  return (name) => {
    let schema = schemas.get(name);
    if (!schema) {
      const declared = contract.components.schemas[name];
      if (!declared) throw new Error(`contract has no schema ${name}`);
      schema = objectSchema(contract, declared);
      schemas.set(name, schema);
    }
    return schema;
  };
}

/** The write context of a request. */
export function writeContexts(deps: Pick<ApiDeps, 'clock'>): (c: Context<ApiEnv>) => WriteContext {
  const schema = schemaCache();
  return (c) => {
    const now = deps.clock.date().toISOString();
    return {
      company: c.get('company'),
      user: c.get('user'),
      now,
      today: `${now.slice(0, 10)}T00:00:00`,
      schema,
    };
  };
}
