/**
 * Where the contract lives and how the sandbox and the tests load it. The YAML is the source; parsing it takes
 * most of a second, so it is also kept compiled to JSON: beside it in the package (`npm run build` writes
 * `dist/contracts/sage200.openapi.json`), and in a clone under `node_modules/.cache/sage200-sandbox/` after the
 * first parse. Either copy is used only while it names the SHA-256 of the YAML it was made from.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ResourceCatalog, resourceCatalog } from './catalog.ts';
import { type OpenApiDocument, parseContract } from './openapi-document.ts';

/** Absolute path of `contracts/sage200.openapi.yaml`, the hand-maintained source of truth. */
export const contractPath: string = fileURLToPath(new URL('./sage200.openapi.yaml', import.meta.url));

/** The compiled copy the package ships beside the YAML. */
export const compiledContractPath: string = fileURLToPath(new URL('./sage200.openapi.json', import.meta.url));

/** The compiled contract: the parsed document and the digest of the YAML text it was parsed from. */
interface CompiledContract {
  source_sha256: string;
  document: OpenApiDocument;
}

/** The compiled JSON of a contract's YAML text (what `npm run build` writes); throws ContractError as parsing does. */
export function compileContract(yaml: string, source: string): string {
  const compiled: CompiledContract = { source_sha256: sha256(yaml), document: parseContract(yaml, source) };
  return JSON.stringify(compiled);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A clone's cache of the compiled contract: `node_modules/.cache` beside `contracts/`, when node_modules is there. */
function cloneCachePath(digest: string): string | undefined {
  const root = dirname(dirname(contractPath));
  if (!existsSync(join(root, 'node_modules'))) return undefined;
  return join(root, 'node_modules', '.cache', 'sage200-sandbox', `contract-${digest.slice(0, 16)}.json`);
}

function readCompiled(path: string | undefined, digest: string): OpenApiDocument | undefined {
  if (path === undefined || !existsSync(path)) return undefined;
  try {
    const compiled = JSON.parse(readFileSync(path, 'utf8')) as Partial<CompiledContract>;
    return compiled.source_sha256 === digest ? compiled.document : undefined;
  } catch {
    // A copy cut short by a crash: parse the YAML instead, and write the copy again.
    return undefined;
  }
}

function readContract(): OpenApiDocument {
  const yaml = readFileSync(contractPath, 'utf8');
  const digest = sha256(yaml);
  const cachePath = cloneCachePath(digest);
  const compiled = readCompiled(compiledContractPath, digest) ?? readCompiled(cachePath, digest);
  if (compiled) return compiled;
  const json = compileContract(yaml, contractPath);
  if (cachePath !== undefined) {
    try {
      mkdirSync(dirname(cachePath), { recursive: true });
      // Renamed into place, so another process reading it at the same moment sees all of it or none.
      const temporary = `${cachePath}.${process.pid}.tmp`;
      writeFileSync(temporary, json);
      renameSync(temporary, cachePath);
    } catch {
      // A read-only checkout: the YAML is parsed each time, which is only slower.
    }
  }
  return (JSON.parse(json) as CompiledContract).document;
}

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
  cached ??= deepFreeze(readContract());
  return cached;
}

let catalog: ResourceCatalog | undefined;

/** The resource catalog of the contract (`contracts/catalog.ts`), derived once. */
export function loadCatalog(): ResourceCatalog {
  catalog ??= resourceCatalog(loadContract());
  return catalog;
}
