/**
 * The append-only write-ahead log behind `--state-file`: one JSON line per committed change set, numbered by `seq`,
 * written and fsynced before `Store.commit` applies it, so every acknowledged write is on disk before its 200.
 * Synchronous on purpose: a handler computes and commits without awaiting, so appends never interleave.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultStoreLayout } from './layout.ts';
import { type FileLine, fsyncDirectory, readLinesSync } from './lines.ts';
import { writeAllSync } from './snapshot.ts';
import type { Change, ChangeSet, WriteAheadLog } from './store.ts';

/** A change set as the write-ahead log holds it: numbered, so replay can skip what a snapshot already includes. */
export interface LoggedChangeSet extends ChangeSet {
  seq: number;
}

/** A write-ahead log that cannot be replayed (a corrupt line before the last) or written. */
export class WriteAheadLogError extends Error {}

/** Tables a logged change may name: the company's own collections and `company_details`. */
function isTable(name: unknown): boolean {
  return name === 'company_details' || defaultStoreLayout().companyCollections.has(String(name));
}

export class FileWriteAheadLog implements WriteAheadLog {
  #fd: number | undefined;
  #size = 0;
  #seq: number;
  /** Set when a failed append could not be rolled back: no later write may follow a torn line. */
  #broken: string | undefined;

  /** Opens (creating) the write-ahead log for appending; `seq` is the number of the last change set already in it. */
  constructor(
    readonly path: string,
    seq: number,
    private readonly onAppend: (seq: number) => void = () => {},
  ) {
    this.#seq = seq;
    this.#open();
  }

  /** The number of the last change set written. */
  get seq(): number {
    return this.#seq;
  }

  append(changeSet: ChangeSet): void {
    if (this.#fd === undefined) throw new WriteAheadLogError(`the write-ahead log ${this.path} is closed`);
    if (this.#broken)
      throw new WriteAheadLogError(`the write-ahead log ${this.path} cannot take writes: ${this.#broken}`);
    const entry: LoggedChangeSet = { seq: this.#seq + 1, ...changeSet };
    const line = Buffer.from(`${JSON.stringify(entry)}\n`);
    try {
      writeAllSync(this.#fd, line);
      fsyncSync(this.#fd);
    } catch (error) {
      this.#rollBack(error as Error);
      throw new WriteAheadLogError(
        `cannot write the write-ahead log ${this.path}: ${(error as Error).message}`,
      );
    }
    this.#size += line.length;
    this.#seq = entry.seq;
    this.onAppend(this.#seq);
  }

  /** Moves the write-ahead log's lines to `to` and carries on in a fresh, empty write-ahead log (compaction's first step). */
  rotate(to: string): void {
    const previous = this.#fd;
    const previousSize = this.#size;
    renameSync(this.path, to);
    try {
      this.#open();
    } catch (error) {
      renameSync(to, this.path);
      this.#fd = previous;
      this.#size = previousSize;
      throw error;
    }
    if (previous !== undefined) closeSync(previous);
    fsyncDirectory(dirname(this.path));
  }

  /** Empties the write-ahead log: a snapshot now holds everything in it. */
  truncate(): void {
    if (this.#fd === undefined) throw new WriteAheadLogError(`the write-ahead log ${this.path} is closed`);
    ftruncateSync(this.#fd, 0);
    fsyncSync(this.#fd);
    this.#size = 0;
  }

  close(): void {
    this.#close();
  }

  #open(): void {
    this.#fd = openSync(this.path, 'a');
    // Appends go to the end; the size is where a failed append rolls back to.
    this.#size = fstatSync(this.#fd).size;
  }

  #close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #rollBack(cause: Error): void {
    try {
      ftruncateSync(this.#fd!, this.#size);
      fsyncSync(this.#fd!);
    } catch {
      this.#broken = `an append failed (${cause.message}) and its partial line could not be removed`;
    }
  }
}

/**
 * Reads a write-ahead log and calls `apply` for each change set numbered after `after`, in order, checking the numbers
 * run on without a gap. A torn or unparsable LAST line (a crash mid-append: never acknowledged) is cut off with a
 * warning; a bad line anywhere else is a WriteAheadLogError naming the file and line. Returns the last seq applied.
 */
export function replayWriteAheadLog(
  path: string,
  after: number,
  apply: (entry: LoggedChangeSet) => void,
  warn: (message: string) => void,
): number {
  let last = after;
  let bad: { line: FileLine; problem: string } | undefined;
  readLinesSync(path, (line) => {
    if (bad) {
      throw new WriteAheadLogError(
        `${path} line ${bad.line.number} is corrupt (${bad.problem}) and is not the last line; ` +
          'the write-ahead log cannot be replayed. Restore it from a backup, or remove it and its snapshot to start afresh.',
      );
    }
    const parsed = line.terminated ? parseEntry(line.text) : 'it has no newline (a write cut short)';
    if (typeof parsed === 'string') {
      bad = { line, problem: parsed };
      return;
    }
    if (parsed.seq <= last) {
      if (parsed.seq <= after) return;
      throw new WriteAheadLogError(
        `${path} line ${line.number}: change set ${parsed.seq} repeats or goes back`,
      );
    }
    if (parsed.seq !== last + 1) {
      throw new WriteAheadLogError(
        `${path} line ${line.number}: change set ${parsed.seq} follows ${last}; change sets are missing`,
      );
    }
    try {
      apply(parsed);
    } catch (error) {
      throw new WriteAheadLogError(`${path} line ${line.number}: ${(error as Error).message}`);
    }
    last = parsed.seq;
  });
  if (bad) {
    warn(
      `${path} line ${bad.line.number} is torn or unparsable (${bad.problem}); it was never acknowledged, ` +
        `so it is ignored and cut off (${bad.line.end - bad.line.start} bytes)`,
    );
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, bad.line.start);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  return last;
}

/** A write-ahead log line as an entry, or what is wrong with it. */
function parseEntry(text: string): LoggedChangeSet | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (!isObject(value)) return 'not a JSON object';
  if (!isWhole(value.seq) || value.seq < 1) return 'seq must be a whole number from 1';
  if (typeof value.site_id !== 'string') return 'site_id must be a string';
  if (!isWhole(value.company_id)) return 'company_id must be a whole number';
  if (!Array.isArray(value.changes)) return 'changes must be an array';
  for (const [i, change] of value.changes.entries()) {
    const problem = changeProblem(change);
    if (problem) return `changes[${i}] ${problem}`;
  }
  return value as unknown as LoggedChangeSet;
}

function changeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'is not a JSON object';
  const change = value as Partial<Change> & Record<string, unknown>;
  const kind = change.kind as Change['kind'];
  switch (kind) {
    case 'put': {
      if (!isTable(change.table)) return `names no table (${String(change.table)})`;
      const key = defaultStoreLayout().table(String(change.table)).key;
      return isObject(change.record) && isWhole(change.record[key])
        ? undefined
        : `needs a record with a numeric ${key}`;
    }
    case 'delete':
      if (!isTable(change.table)) return `names no table (${String(change.table)})`;
      return isWhole(change.id) ? undefined : 'needs a numeric id';
    case 'nominal_entries':
      return Array.isArray(change.entries) && change.entries.every(isObject) ? undefined : 'needs entries';
    case 'counters':
      return isWhole(change.next_id) && isWhole(change.next_urn) ? undefined : 'needs next_id and next_urn';
    default:
      // WriteAheadLog lines are untrusted input: an unknown kind is reported, not thrown.
      kind satisfies never;
      return `has an unknown kind (${String(change.kind)})`;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}
