/**
 * How much of Sage's published API the contract serves, per Sage file (Professional-only operations aside), printed
 * for the record; and every reference-data GET (enumeration lists, settings, lookups) served. Needs Sage's published
 * OpenAPI files beside the repository (../shared/reference/sage200-openapi); skipped without them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../contracts/index.ts';

const sageDir = path.resolve(fileURLToPath(import.meta.url), '../../../../shared/reference/sage200-openapi');
const METHODS = ['get', 'post', 'put', 'delete'] as const;

interface SagePathItem {
  'x-sage-professional-only'?: boolean;
  [method: string]: unknown;
}

function sageOperations(): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const file of readdirSync(sageDir).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(path.join(sageDir, file), 'utf8')) as {
      paths: Record<string, SagePathItem>;
    };
    const operations: string[] = [];
    for (const [sagePath, item] of Object.entries(doc.paths)) {
      if (item['x-sage-professional-only'] === true) continue;
      for (const method of METHODS) {
        const operation = item[method] as { 'x-sage-professional-only'?: boolean } | undefined;
        if (operation && operation['x-sage-professional-only'] !== true)
          operations.push(`${method} ${sagePath}`);
      }
    }
    byFile.set(file, operations);
  }
  return byFile;
}

/** Sage writes path parameters in several spellings (`{Id}`, `{id}`, `{customerId}`): compare them as one. */
const shape = (operation: string): string => operation.replace(/\{[^}]+\}/g, '{}');

describe.skipIf(!existsSync(sageDir))("coverage of Sage's published operations", () => {
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

  it('serves every reference-data GET: enumeration lists, settings and lookups', () => {
    const referenceData = [...sageOperations().values()]
      .flat()
      .filter((op) => /^get \/(\w+_types|\w+_settings|lookup_\w+)(\/\{\w+\})?$/.test(op));
    expect(referenceData.length).toBeGreaterThan(120);
    const missing = referenceData.filter((op) => !served.has(shape(op)));
    expect(missing).toEqual([]);
  });
});
