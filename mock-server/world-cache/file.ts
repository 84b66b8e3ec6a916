/**
 * A cached world on disk, one JSON value per line, all ASCII (so bytes are characters and decode as latin1, several
 * times faster than UTF-8):
 *
 * 1. a line naming the format, its version and the key;
 * 2. per company, a section of lines: `{"collection","records"}` (at most 500 records each, every collection in
 *    order, an empty one as one line with no records), then `{"nominal_entries"}` lines;
 * 3. the header: the key's facts, the world without its companies' records, and each section's offset, length
 *    and CRC-32;
 * 4. the footer, the last line: the header's offset, length and CRC-32.
 *
 * Opening reads the footer and the header only: users, sites and companies are there at once, and each company's
 * records are read on first use, checked against their CRC-32 before anything is served from them. A file is
 * written to a temporary name and renamed into place, so readers see a whole file or none, and two processes
 * writing the same world at once leave one whole copy.
 */
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import type { CompanyWorld, NominalEntry, SageRecord, World } from '../world/model.ts';
import { WORLD_CACHE_FORMAT, WORLD_CACHE_VERSION, type WorldCacheFacts, type WorldCacheKey } from './key.ts';

/** A cache file that cannot be used: cut short, altered, of another format or key. It is rebuilt, never served. */
export class WorldCacheError extends Error {}

/** Where a stretch of the file is and what it must add up to. */
interface Extent {
  offset: number;
  bytes: number;
  crc32: number;
}

interface Header {
  key: string;
  facts: WorldCacheFacts;
  /** The world with each company's `collections` and `nominal_entries` empty. */
  world: World;
  /** One per company, in the order the world lists them (site by site). */
  sections: Extent[];
}

/**
 * A cache file by its path, or by a descriptor its reader keeps open: a file built for one start only
 * (`--no-cache`) is unlinked as soon as it is opened, so nothing is left on disk whatever becomes of the process.
 */
export type CacheSource = string | number;

function openSource(source: CacheSource): number {
  return typeof source === 'number' ? source : openSync(source, 'r');
}

function closeSource(source: CacheSource, fd: number): void {
  if (typeof source !== 'number') closeSync(fd);
}

/** A company's share of the file: what is read when the company is first used. */
export interface CompanyRecords {
  collections: CompanyWorld['collections'];
  nominal_entries: NominalEntry[];
}

/**
 * Lines stay under V8's large-object size (128 KiB) so the strings that make them die young: at 500 records a line,
 * writing the large world's cache left each line in old space until a full collection, 150 MiB more RSS at its peak.
 */
const RECORDS_PER_LINE = 50;
const ENTRIES_PER_LINE = 200;
const WRITE_BATCH_BYTES = 1024 * 1024;
const READ_CHUNK_BYTES = 4 * 1024 * 1024;
/** More than the footer line can take. */
const TAIL_BYTES = 4096;
const NEWLINE = 0x0a;

const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;

/** JSON with every non-ASCII character written as a `\u` escape: the same value, one byte per character. */
function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  return NON_ASCII.test(json)
    ? json.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : json;
}

/**
 * The lines in batches of about `bytes`, encoded as latin1 (every line is ASCII) into one buffer that is reused: a
 * batch must be written before the next is asked for. A line longer than the buffer comes as a buffer of its own.
 */
function* latin1Batches(lines: Iterable<string>, bytes = WRITE_BATCH_BYTES): Generator<Buffer> {
  const buffer = Buffer.allocUnsafe(bytes);
  let used = 0;
  for (const line of lines) {
    if (used + line.length > bytes && used > 0) {
      yield buffer.subarray(0, used);
      used = 0;
    }
    if (line.length > bytes) yield Buffer.from(line, 'latin1');
    else used += buffer.write(line, used, 'latin1');
  }
  if (used > 0) yield buffer.subarray(0, used);
}

/** Every line of the file for `world`, newline included; sections are measured as they go by. */
export function* cacheFileLines(world: World, key: WorldCacheKey): Generator<string> {
  let offset = 0;
  const line = (value: unknown): string => {
    const text = `${asciiJson(value)}\n`;
    offset += text.length;
    return text;
  };
  yield line({ format: WORLD_CACHE_FORMAT, version: WORLD_CACHE_VERSION, key: key.id });
  const sections: Extent[] = [];
  for (const site of world.sites) {
    for (const company of site.companies) {
      const section: Extent = { offset, bytes: 0, crc32: 0 };
      for (const text of companyLines(company, line)) {
        section.crc32 = crc32(text, section.crc32);
        yield text;
      }
      section.bytes = offset - section.offset;
      sections.push(section);
    }
  }
  const header: Header = { key: key.id, facts: key.facts, world: skeleton(world), sections };
  const start = offset;
  const text = line(header);
  yield text;
  yield line({ header: { offset: start, bytes: text.length, crc32: crc32(text) } });
}

function* companyLines(company: CompanyWorld, line: (value: unknown) => string): Generator<string> {
  for (const [name, records] of Object.entries(company.collections)) {
    if (!records) continue;
    if (records.length === 0) yield line({ collection: name, records: [] });
    for (let i = 0; i < records.length; i += RECORDS_PER_LINE) {
      yield line({ collection: name, records: records.slice(i, i + RECORDS_PER_LINE) });
    }
  }
  const entries = company.nominal_entries;
  for (let i = 0; i < entries.length; i += ENTRIES_PER_LINE) {
    yield line({ nominal_entries: entries.slice(i, i + ENTRIES_PER_LINE) });
  }
}

/** The world without records; empty containers keep each company's key order for the records to fill. */
function skeleton(world: World): World {
  return {
    ...world,
    sites: world.sites.map((site) => ({
      ...site,
      companies: site.companies.map((company) => ({
        ...company,
        collections: {} as CompanyWorld['collections'],
        nominal_entries: [],
      })),
    })),
  };
}

let temporaries = 0;

/** A temporary name beside `path`, unique among this process's writers; the process id sets it apart from others'. */
export function temporaryPathFor(path: string): string {
  return `${path}.${process.pid}-${++temporaries}.tmp`;
}

/**
 * Writes the file at `path` whole or not at all (a temporary file renamed into place); blocks until done. Not
 * fsynced: a crash that loses bytes the rename already named leaves a file whose checksums fail, which is rebuilt.
 */
export function writeCacheFileSync(path: string, temporary: string, world: World, key: WorldCacheKey): void {
  const fd = openSync(temporary, 'w');
  let written = false;
  try {
    for (const buffer of latin1Batches(cacheFileLines(world, key))) {
      for (let done = 0; done < buffer.length; ) done += writeSync(fd, buffer, done, buffer.length - done);
    }
    written = true;
  } finally {
    closeSync(fd);
    if (!written) rmSync(temporary, { force: true });
  }
  renameSync(temporary, path);
}

/**
 * Writes the file as `writeCacheFileSync` does, yielding to the event loop between batches so a listening
 * sandbox keeps answering; stops (and removes the temporary file) when `signal` aborts.
 */
export async function writeCacheFile(
  path: string,
  temporary: string,
  world: World,
  key: WorldCacheKey,
  signal: AbortSignal,
): Promise<void> {
  const handle = await open(temporary, 'w');
  try {
    for (const buffer of latin1Batches(cacheFileLines(world, key))) {
      signal.throwIfAborted();
      await handle.write(buffer);
    }
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => {});
    rmSync(temporary, { force: true });
    throw error;
  }
  signal.throwIfAborted();
  renameSync(temporary, path);
}

/**
 * Reads a cache file's footer and header and checks them and the key: the world without records, and where each
 * company's section is. Throws WorldCacheError when the file cannot be used.
 */
export function readCacheHeader(
  source: CacheSource,
  key: WorldCacheKey,
): { world: World; sections: Extent[] } {
  const fd = openSource(source);
  try {
    const size = fstatSync(fd).size;
    const tailStart = Math.max(0, size - TAIL_BYTES);
    const tail = readExactly(fd, tailStart, size - tailStart);
    if (tail.at(-1) !== NEWLINE) throw new WorldCacheError('it is cut short (no final newline)');
    const lastLine = tail.lastIndexOf(NEWLINE, tail.length - 2) + 1;
    const footer = parseJson(tail.toString('latin1', lastLine, tail.length - 1), 'footer');
    const extent = extentOf(isObject(footer) ? footer.header : undefined, 'footer');
    if (extent.offset + extent.bytes !== tailStart + lastLine) {
      throw new WorldCacheError('the footer does not point at the header');
    }
    const bytes = readExactly(fd, extent.offset, extent.bytes);
    if (crc32(bytes) !== extent.crc32) throw new WorldCacheError('the header fails its checksum');
    const header = parseJson(bytes.toString('latin1', 0, bytes.length - 1), 'header') as Header;
    if (!isObject(header) || header.key !== key.id) {
      throw new WorldCacheError('it holds another world (its key differs)');
    }
    const companies = header.world.sites.flatMap((site) => site.companies);
    if (!Array.isArray(header.sections) || header.sections.length !== companies.length) {
      throw new WorldCacheError('the header lists a section per company, and does not');
    }
    const sections = header.sections.map((section, i) => {
      const checked = extentOf(section, `section ${i + 1}`);
      if (checked.offset + checked.bytes > extent.offset) {
        throw new WorldCacheError(`section ${i + 1} runs into the header`);
      }
      return checked;
    });
    return { world: header.world, sections };
  } finally {
    closeSource(source, fd);
  }
}

/**
 * Strings JSON.parse makes are each their own copy; V8 shares only the shortest. A company's records repeat a few
 * thousand longer ones hundreds of thousands of times (dates, transaction types, narratives, user names), so one copy
 * of each is kept: a large world then takes two thirds of the memory.
 */
const SHARED_BY_V8 = 10;

class StringPool {
  readonly #pool = new Map<string, string>();

  /** Replaces, in place, every longer string in `value` by the pool's copy. */
  share(value: unknown): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'string') {
          if (item.length > SHARED_BY_V8) value[i] = this.#one(item);
        } else if (typeof item === 'object' && item !== null) this.share(item);
      }
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      for (const key in record) {
        const field = record[key];
        if (typeof field === 'string') {
          if (field.length > SHARED_BY_V8) record[key] = this.#one(field);
        } else if (typeof field === 'object' && field !== null) this.share(field);
      }
    }
  }

  #one(text: string): string {
    const pooled = this.#pool.get(text);
    if (pooled !== undefined) return pooled;
    this.#pool.set(text, text);
    return text;
  }
}

/** Reads one company's section, checking its CRC-32 before returning anything from it. */
export function readCompanySection(source: CacheSource, section: Extent): CompanyRecords {
  const collections: Record<string, SageRecord[]> = {};
  const nominal_entries: NominalEntry[] = [];
  const strings = new StringPool();
  const take = (text: string): void => {
    const line = parseJson(text, 'a record line');
    strings.share(line);
    if (!isObject(line)) throw new WorldCacheError('a record line is not a JSON object');
    if (typeof line.collection === 'string' && Array.isArray(line.records)) {
      let records = Object.hasOwn(collections, line.collection) ? collections[line.collection] : undefined;
      if (!records) {
        records = [];
        // defineProperty, not assignment: a collection named __proto__ stays a plain key.
        Object.defineProperty(collections, line.collection, {
          value: records,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      for (const record of line.records as SageRecord[]) records.push(record);
    } else if (Array.isArray(line.nominal_entries)) {
      for (const entry of line.nominal_entries as NominalEntry[]) nominal_entries.push(entry);
    } else {
      throw new WorldCacheError('a record line is neither a collection nor nominal entries');
    }
  };
  const fd = openSource(source);
  try {
    let crc = 0;
    let position = section.offset;
    const end = section.offset + section.bytes;
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, Math.max(section.bytes, 1)));
    let carry: Buffer | undefined;
    while (position < end) {
      const read = readSync(fd, chunk, 0, Math.min(chunk.length, end - position), position);
      if (read === 0) throw new WorldCacheError('a section is cut short');
      position += read;
      const data = chunk.subarray(0, read);
      crc = crc32(data, crc);
      let from = 0;
      let at = data.indexOf(NEWLINE);
      if (carry && at !== -1) {
        take(Buffer.concat([carry, data.subarray(0, at)]).toString('latin1'));
        carry = undefined;
        from = at + 1;
        at = data.indexOf(NEWLINE, from);
      }
      for (; at !== -1; at = data.indexOf(NEWLINE, from)) {
        take(data.toString('latin1', from, at));
        from = at + 1;
      }
      if (from < data.length) {
        const rest = Buffer.from(data.subarray(from));
        carry = carry ? Buffer.concat([carry, rest]) : rest;
      }
    }
    if (carry) throw new WorldCacheError('a section does not end with a newline');
    if (crc !== section.crc32) throw new WorldCacheError('a company section fails its checksum');
  } finally {
    closeSource(source, fd);
  }
  return { collections: collections as CompanyWorld['collections'], nominal_entries };
}

function readExactly(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done);
    if (read === 0) throw new WorldCacheError('it is cut short');
    done += read;
  }
  return buffer;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new WorldCacheError(`its ${what} is not JSON (${(error as Error).message})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function extentOf(value: unknown, what: string): Extent {
  if (!isObject(value)) throw new WorldCacheError(`its ${what} is not an object`);
  const { offset, bytes, crc32: sum } = value;
  for (const number of [offset, bytes, sum]) {
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
      throw new WorldCacheError(`its ${what} has no usable offset, length and checksum`);
    }
  }
  return { offset: offset as number, bytes: bytes as number, crc32: sum as number };
}
