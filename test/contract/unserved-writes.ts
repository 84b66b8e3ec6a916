/**
 * The POST, PUT and DELETE operations of Sage's files (Professional-only ones aside) the sandbox does not serve yet,
 * path parameters written `{}`. test/contract/coverage.test.ts fails when any other write is not served, and when
 * one listed here is: the list only shrinks. docs/writes.md says what the served writes do.
 */
export const UNSERVED_WRITES: readonly string[] = ['post /traceable_items_amend'];
