/**
 * Writes `contracts/sage-digest.txt` from Sage's published OpenAPI files (`npm run gen:sage-digest`). With
 * `--check` (part of `npm run check:contracts`) it writes nothing and exits 1 if the digest is stale; when Sage's
 * files are absent it says in one line that currency went unchecked, and passes. Sage's files are read from
 * ../shared/reference/sage200-openapi beside the repository, or from the folder SAGE200_OPENAPI_DIR names.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { contractPath, loadContract } from '../contract.ts';
import { ContractError } from '../openapi-document.ts';
import {
  buildSageDigest,
  formatSageDigest,
  parseSageDigest,
  type SageDigest,
  SageDigestError,
  sageDigestPath,
  schemasNamedBy,
} from './sage-digest-format.ts';

const repoRoot = path.resolve(path.dirname(contractPath), '..');
const digestName = path.relative(repoRoot, sageDigestPath);
const DIR_VARIABLE = 'SAGE200_OPENAPI_DIR';

/** Why the committed digest differs from the one built now, as far as its header tells. */
function staleness(committed: string, fresh: SageDigest): string {
  let old: SageDigest;
  try {
    old = parseSageDigest(committed, digestName);
  } catch (error) {
    return error instanceof SageDigestError ? error.message : String(error);
  }
  const changed = [...new Set([...old.keys(), ...fresh.keys()])].filter(
    (file) => old.get(file)?.sha256 !== fresh.get(file)?.sha256,
  );
  if (changed.length > 0) return `Sage's files changed: ${changed.join(', ')}`;
  return 'the schemas the contract names (x-sage-schema) changed, or the digest was edited';
}

function main(): void {
  const check = process.argv.includes('--check');
  const named = process.env[DIR_VARIABLE];
  const sageDir = path.resolve(named ?? path.join(repoRoot, '..', 'shared', 'reference', 'sage200-openapi'));
  const shown = named === undefined ? path.relative(repoRoot, sageDir) : sageDir;
  if (!existsSync(sageDir)) {
    if (check && named === undefined) {
      console.log(
        `${digestName}: currency not checked, as Sage's OpenAPI files are not at ${shown} (${DIR_VARIABLE} names another folder)`,
      );
      return;
    }
    throw new SageDigestError(
      `Sage's OpenAPI files are not at ${shown}: put them there or name their folder in ${DIR_VARIABLE}`,
    );
  }
  const files = readdirSync(sageDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ file, bytes: readFileSync(path.join(sageDir, file)) }));
  if (files.length === 0) throw new SageDigestError(`no .json files in ${shown}`);

  const digest = buildSageDigest(files, schemasNamedBy(loadContract()));
  const text = formatSageDigest(digest);
  if (!isDeepStrictEqual(parseSageDigest(text, digestName), digest)) {
    throw new SageDigestError(`${digestName} would not read back as written: the format loses a fact`);
  }

  if (check) {
    const committed = existsSync(sageDigestPath) ? readFileSync(sageDigestPath, 'utf8') : '';
    if (committed !== text) {
      console.error(
        `${digestName} is stale (${staleness(committed, digest)}): run npm run gen:sage-digest and commit the result.`,
      );
      process.exit(1);
    }
    console.log(`${digestName} is current with Sage's files in ${shown}: OK`);
    return;
  }
  writeFileSync(sageDigestPath, text);
  const schemas = [...digest.values()].reduce((sum, file) => sum + file.schemas.size, 0);
  const operations = [...digest.values()].reduce((sum, file) => sum + file.operations.length, 0);
  console.log(
    `wrote ${digestName}: ${digest.size} files, ${operations} operations, ${schemas} schemas, ${text.length} bytes`,
  );
}

try {
  main();
} catch (error) {
  const known = error instanceof SageDigestError || error instanceof ContractError;
  console.error(known ? error.message : error);
  process.exit(1);
}
