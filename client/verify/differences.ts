/**
 * Findings of many answers folded into differences: one per resource and field, whichever paths and records showed
 * it, so a renamed field read from a list of 500 records and from its record path is one difference.
 */
import type { Finding } from './exchange-check.ts';

/** One way the service differs from the contract at one field of one resource. */
export interface Difference {
  resource: string;
  field: string;
  /** What differs, one line per kind (`missing`, `"X" is not a member of the contract's enum`). */
  problems: string[];
  /** The path templates whose answers showed it, with their method (`GET /customers/{Id}`). */
  paths: string[];
}

export class DifferenceLedger {
  readonly #byKey = new Map<
    string,
    { resource: string; field: string; problems: Set<string>; paths: Set<string> }
  >();

  add(findings: readonly Finding[], path: string): void {
    for (const { resource, field, problem } of findings) {
      const key = `${resource}\0${field}`;
      let entry = this.#byKey.get(key);
      if (!entry) {
        entry = { resource, field, problems: new Set(), paths: new Set() };
        this.#byKey.set(key, entry);
      }
      entry.problems.add(problem);
      entry.paths.add(path);
    }
  }

  /**
   * Sorted by resource and field. Where a resource's object lacks exactly one declared field and holds exactly one
   * undeclared one, on the same paths, the two are one difference: the field was renamed.
   */
  differences(): Difference[] {
    const entries = [...this.#byKey.values()].map((entry) => ({
      resource: entry.resource,
      field: entry.field,
      problems: [...entry.problems].sort(),
      paths: [...entry.paths].sort(),
    }));
    const parentOf = (field: string) => field.slice(0, Math.max(0, field.lastIndexOf('.')));
    const only = (problem: string) =>
      entries.filter((e) => e.problems.length === 1 && e.problems[0] === problem);
    const missing = only('missing');
    const extra = only('not in the contract');
    const merged = new Set<Difference>();
    for (const gone of missing) {
      const sameSpot = (e: Difference) =>
        e.resource === gone.resource &&
        parentOf(e.field) === parentOf(gone.field) &&
        e.paths.join() === gone.paths.join();
      const candidates = extra.filter(sameSpot);
      if (candidates.length !== 1 || missing.filter(sameSpot).length !== 1) continue;
      const served = candidates[0]!;
      gone.problems = [
        `missing; \`${served.field}\`, which the contract does not declare, is served instead (renamed?)`,
      ];
      merged.add(served);
    }
    return entries
      .filter((entry) => !merged.has(entry))
      .sort((a, b) => a.resource.localeCompare(b.resource) || a.field.localeCompare(b.field));
  }
}
