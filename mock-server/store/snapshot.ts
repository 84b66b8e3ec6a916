/**
 * A world on disk, one JSON value per line (NDJSON): a header with seed, scale and users, then per site, per
 * company and per chunk of records one line each, then an `end` line with the counts. A large world is ~340 MB,
 * so it is written and read a line at a time, never as one string. The same framing is what
 * `GET /admin/state` answers to `Accept: application/x-ndjson` and `PUT /admin/state` takes back.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { echoed } from '../errors.ts';
import type { CompanyWorld, SandboxSite, World } from '../world/model.ts';
import { fsyncDirectory } from './lines.ts';

export const SNAPSHOT_FORMAT = 'sage200-sandbox/snapshot';
export const SNAPSHOT_VERSION = 1;
export const NDJSON_TYPE = 'application/x-ndjson';

/** Records per line: small enough to parse cheaply, large enough that framing costs nothing. */
const RECORDS_PER_LINE = 500;
/** Bytes gathered before each write. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/** A snapshot that cannot be read back: truncated, out of order, or not a snapshot at all. */
export class SnapshotError extends Error {}

interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  /** The last logged change set this snapshot includes. */
  seq: number;
  seed: number;
  scale: World['scale'];
  as_of?: string;
  users: World['users'];
}

interface SnapshotEnd {
  sites: number;
  companies: number;
  records: number;
  nominal_entries: number;
}

/** The snapshot's lines, each ending in a newline, in the order a reader expects them. */
export function* snapshotLines(world: World, seq: number): Generator<string> {
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    seq,
    seed: world.seed,
    scale: world.scale,
    ...(world.as_of === undefined ? {} : { as_of: world.as_of }),
    users: world.users,
  };
  yield `${JSON.stringify(header)}\n`;
  const end: SnapshotEnd = { sites: 0, companies: 0, records: 0, nominal_entries: 0 };
  for (const site of world.sites) {
    const { companies, ...fields } = site;
    yield `${JSON.stringify({ site: fields })}\n`;
    end.sites++;
    for (const company of companies) {
      // Empty containers keep the company's key order, so a world read back serialises to the same bytes.
      yield `${JSON.stringify({ company: { ...company, collections: {}, nominal_entries: [] } })}\n`;
      end.companies++;
      for (const [name, records] of Object.entries(company.collections)) {
        if (!records) continue;
        if (records.length === 0) yield `${JSON.stringify({ collection: name, records: [] })}\n`;
        for (let i = 0; i < records.length; i += RECORDS_PER_LINE) {
          const slice = records.slice(i, i + RECORDS_PER_LINE);
          yield `${JSON.stringify({ collection: name, records: slice })}\n`;
        }
        end.records += records.length;
      }
      for (let i = 0; i < company.nominal_entries.length; i += RECORDS_PER_LINE * 4) {
        const slice = company.nominal_entries.slice(i, i + RECORDS_PER_LINE * 4);
        yield `${JSON.stringify({ nominal_entries: slice })}\n`;
      }
      end.nominal_entries += company.nominal_entries.length;
    }
  }
  yield `${JSON.stringify({ end })}\n`;
}

/** Groups small strings into buffers of about WRITE_BATCH_BYTES. */
export function* batched(parts: Iterable<string>, bytes = WRITE_BATCH_BYTES): Generator<Buffer> {
  let pending: string[] = [];
  let size = 0;
  for (const part of parts) {
    pending.push(part);
    size += part.length;
    if (size >= bytes) {
      yield Buffer.from(pending.join(''));
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) yield Buffer.from(pending.join(''));
}

/**
 * Replaces the snapshot at `path` atomically: written to a temporary file, fsynced, renamed over the old one and
 * the directory fsynced, so a crash leaves either the old snapshot or the new one, never half of one.
 */
export function writeSnapshotSync(path: string, world: World, seq: number, temporary = `${path}.tmp`): void {
  const fd = openSync(temporary, 'w');
  try {
    for (const buffer of batched(snapshotLines(world, seq))) writeAllSync(fd, buffer);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  fsyncDirectory(dirname(path));
}

/** Writes a snapshot to `temporary` and fsyncs it, yielding to the event loop between batches; no rename. */
export async function writeSnapshotFile(temporary: string, world: World, seq: number): Promise<void> {
  const handle = await open(temporary, 'w');
  try {
    for (const buffer of batched(snapshotLines(world, seq))) await handle.write(buffer);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function writeAllSync(fd: number, buffer: Buffer): void {
  let written = 0;
  while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written);
}

/** Rebuilds a world from snapshot lines fed one at a time; `finish` checks nothing was cut off. */
export class SnapshotReader {
  #header: SnapshotHeader | undefined;
  #site: SandboxSite | undefined;
  #company: CompanyWorld | undefined;
  #end: SnapshotEnd | undefined;
  readonly #counts: SnapshotEnd = { sites: 0, companies: 0, records: 0, nominal_entries: 0 };
  readonly #sites: SandboxSite[] = [];

  /** Takes the next line (without its newline); `number` is 1-based, for messages. */
  line(text: string, number: number): void {
    if (this.#end) {
      if (text.trim() === '') return;
      throw new SnapshotError(`line ${number}: nothing may follow the end line`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new SnapshotError(`line ${number}: not JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new SnapshotError(`line ${number}: not a JSON object`);
    }
    const line = value as Record<string, unknown>;
    if (!this.#header) {
      if (line.format !== SNAPSHOT_FORMAT) {
        throw new SnapshotError(
          `line ${number}: not a ${SNAPSHOT_FORMAT} header (format is ${echoed(String(line.format))})`,
        );
      }
      if (line.version !== SNAPSHOT_VERSION) {
        throw new SnapshotError(
          `line ${number}: snapshot version ${echoed(String(line.version))} is not ${SNAPSHOT_VERSION}`,
        );
      }
      if (typeof line.seq !== 'number' || !Number.isSafeInteger(line.seq) || line.seq < 0) {
        throw new SnapshotError(`line ${number}: the header's seq must be a whole number`);
      }
      this.#header = line as unknown as SnapshotHeader;
      return;
    }
    if ('site' in line) {
      const site = objectField(line.site, 'site', number);
      this.#site = { ...(site as unknown as SandboxSite), companies: [] };
      this.#sites.push(this.#site);
      this.#company = undefined;
      this.#counts.sites++;
    } else if ('company' in line) {
      if (!this.#site) throw new SnapshotError(`line ${number}: a company before any site`);
      const company = objectField(line.company, 'company', number) as unknown as CompanyWorld;
      this.#company = { ...company, collections: {} as CompanyWorld['collections'], nominal_entries: [] };
      this.#site.companies.push(this.#company);
      this.#counts.companies++;
    } else if ('collection' in line) {
      const company = this.#needCompany(number);
      if (typeof line.collection !== 'string' || !Array.isArray(line.records)) {
        throw new SnapshotError(`line ${number}: a collection line needs a collection name and records`);
      }
      const collections = company.collections as Record<string, unknown[]>;
      if (!Object.hasOwn(collections, line.collection)) {
        // defineProperty, not assignment: a collection named __proto__ must stay a plain (rejected) key.
        Object.defineProperty(collections, line.collection, {
          value: [],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      const records = collections[line.collection]!;
      for (const record of line.records) records.push(record);
      this.#counts.records += line.records.length;
    } else if ('nominal_entries' in line) {
      const company = this.#needCompany(number);
      if (!Array.isArray(line.nominal_entries)) {
        throw new SnapshotError(`line ${number}: nominal_entries must be an array`);
      }
      for (const entry of line.nominal_entries) company.nominal_entries.push(entry);
      this.#counts.nominal_entries += line.nominal_entries.length;
    } else if ('end' in line) {
      this.#end = objectField(line.end, 'end', number) as unknown as SnapshotEnd;
      for (const key of ['sites', 'companies', 'records', 'nominal_entries'] as const) {
        if (this.#end[key] !== this.#counts[key]) {
          throw new SnapshotError(
            `line ${number}: the end line counts ${echoed(String(this.#end[key]))} ${key} but ${this.#counts[key]} were read`,
          );
        }
      }
    } else {
      throw new SnapshotError(`line ${number}: unknown line (keys ${echoed(Object.keys(line).join(', '))})`);
    }
  }

  /** The world read, not yet validated, and the write-ahead log seq the snapshot includes. */
  finish(): { world: unknown; seq: number } {
    if (!this.#header) throw new SnapshotError('empty: no header line');
    if (!this.#end) throw new SnapshotError('incomplete: it stops before its end line');
    const { seed, scale, as_of, users, seq } = this.#header;
    return {
      world: { seed, scale, ...(as_of === undefined ? {} : { as_of }), users, sites: this.#sites },
      seq,
    };
  }

  #needCompany(number: number): CompanyWorld {
    if (!this.#company) throw new SnapshotError(`line ${number}: records before any company`);
    return this.#company;
  }
}

function objectField(value: unknown, name: string, number: number): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SnapshotError(`line ${number}: ${name} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * The world as one JSON document, in pieces: the same bytes as `JSON.stringify(world)`, but the big arrays
 * (records, nominal entries) go out a slice at a time, so exporting a large world never builds one giant string.
 */
export function* worldJson(world: World): Generator<string> {
  yield* objectJson(world as unknown as Record<string, unknown>, (key, value) =>
    key === 'sites' ? arrayJson(value as SandboxSite[], siteJson) : undefined,
  );
}

function* siteJson(site: SandboxSite): Generator<string> {
  yield* objectJson(site as unknown as Record<string, unknown>, (key, value) =>
    key === 'companies' ? arrayJson(value as CompanyWorld[], companyJson) : undefined,
  );
}

function* companyJson(company: CompanyWorld): Generator<string> {
  yield* objectJson(company as unknown as Record<string, unknown>, (key, value) => {
    if (key === 'collections') {
      return objectJson(value as Record<string, unknown>, (_, records) =>
        chunkedArrayJson(records as unknown[]),
      );
    }
    return key === 'nominal_entries' ? chunkedArrayJson(value as unknown[]) : undefined;
  });
}

/** An object's JSON with chosen members streamed by `member` (undefined: stringified whole), in key order. */
function* objectJson(
  value: Record<string, unknown>,
  member: (key: string, value: unknown) => Iterable<string> | undefined,
): Generator<string> {
  let first = true;
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || typeof field === 'function') continue;
    yield `${first ? '{' : ','}${JSON.stringify(key)}:`;
    first = false;
    const streamed = member(key, field);
    if (streamed) yield* streamed;
    else yield JSON.stringify(field);
  }
  yield first ? '{}' : '}';
}

function* arrayJson<T>(items: readonly T[], item: (value: T) => Iterable<string>): Generator<string> {
  yield '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) yield ',';
    yield* item(items[i]!);
  }
  yield ']';
}

function* chunkedArrayJson(items: readonly unknown[]): Generator<string> {
  yield '[';
  for (let i = 0; i < items.length; i += RECORDS_PER_LINE) {
    const slice = JSON.stringify(items.slice(i, i + RECORDS_PER_LINE));
    yield `${i > 0 ? ',' : ''}${slice.slice(1, -1)}`;
  }
  yield ']';
}
