/** Where the contract lives and how the sandbox and the tests load it. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ResourceCatalog, resourceCatalog } from './catalog.ts';
import { type OpenApiDocument, parseContract } from './openapi-document.ts';

/** Absolute path of `contracts/sage200.openapi.yaml`, the hand-maintained source of truth. */
export const contractPath: string = fileURLToPath(new URL('./sage200.openapi.yaml', import.meta.url));

let cached: OpenApiDocument | undefined;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The parsed contract (read once, then shared, deeply frozen so no caller can change it for the others); served
 * as `/openapi.json`. https://spec.openapis.org/oas/v3.1.0
 */
export function loadContract(): OpenApiDocument {
  cached ??= deepFreeze(parseContract(readFileSync(contractPath, 'utf8'), contractPath));
  return cached;
}

let catalog: ResourceCatalog | undefined;

/** The resource catalog of the contract (`contracts/catalog.ts`), derived once. */
export function loadCatalog(): ResourceCatalog {
  catalog ??= resourceCatalog(loadContract());
  return catalog;
}
