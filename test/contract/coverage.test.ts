/**
 * How much of Sage's published API the contract serves, per Sage file (Professional-only operations aside), printed
 * for the record; and every reference-data GET (enumeration lists, settings, lookups) served. Sage's operations are
 * read from `contracts/sage-digest.txt`, the digest of Sage's published OpenAPI files (contracts/README.md). Every GET
 * and every write of those files must be served.
 */
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../contracts/index.ts';
import { loadSageDigest } from '../../contracts/scripts/sage-digest-format.ts';

const METHODS = ['get', 'post', 'put', 'delete'] as const;

/** Each Sage file's operations as `get /customers/{id}`, leaving out Professional-only ones. */
function sageOperations(): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const [file, { operations }] of loadSageDigest()) {
    byFile.set(
      file,
      operations
        .filter(({ method, professionalOnly }) => !professionalOnly && METHODS.some((m) => m === method))
        .map(({ method, path }) => `${method} ${path}`),
    );
  }
  return byFile;
}

/** Sage writes path parameters in several spellings (`{Id}`, `{id}`, `{customerId}`): compare them as one. */
const shape = (operation: string): string => operation.replace(/\{[^}]+\}/g, '{}');

describe("coverage of Sage's published operations", () => {
  const contract = loadContract();
  const served = new Set<string>();
  for (const [contractPath, item] of Object.entries(contract.paths)) {
    for (const method of METHODS) if (item[method]) served.add(shape(`${method} ${contractPath}`));
  }

  it('prints served operations against Sage’s published total, per file', () => {
    const rows: string[] = [];
    let total = 0;
    let covered = 0;
    for (const [file, operations] of sageOperations()) {
      const hit = operations.filter((op) => served.has(shape(op))).length;
      const gets = operations.filter((op) => op.startsWith('get '));
      const getHits = gets.filter((op) => served.has(shape(op))).length;
      rows.push(
        `${file.padEnd(18)} ${String(hit).padStart(4)} / ${String(operations.length).padEnd(4)} (GET ${getHits} / ${gets.length})`,
      );
      total += operations.length;
      covered += hit;
    }
    console.log(
      `served operations per Sage file (Standard):\n${rows.join('\n')}\n${'all'.padEnd(18)} ${String(covered).padStart(4)} / ${total}`,
    );
    expect(covered).toBeGreaterThan(0);
  });

  it("serves every GET of Sage's files", () => {
    const gets = [...sageOperations().values()].flat().filter((op) => op.startsWith('get '));
    expect(gets.map(shape).filter((op) => !served.has(op))).toEqual([]);
  });

  it("serves every write (POST, PUT, DELETE) of Sage's files", () => {
    const writes = [...sageOperations().values()].flat().filter((op) => !op.startsWith('get '));
    expect(writes.length).toBeGreaterThan(250);
    expect([...new Set(writes.map(shape).filter((op) => !served.has(op)))]).toEqual([]);
  });

  it('serves every reference-data GET: enumeration lists, settings and lookups', () => {
    const referenceData = [...sageOperations().values()]
      .flat()
      .filter((op) => /^get \/(\w+_types|\w+_settings|lookup_\w+)(\/\{\w+\})?$/.test(op));
    expect(referenceData.length).toBeGreaterThan(120);
    const missing = referenceData.filter((op) => !served.has(shape(op)));
    expect(missing).toEqual([]);
  });
});
