import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TEST_AS_OF } from '../../test/support/as-of.ts';
import { copyOfWorld, smallTestWorld } from '../../test/support/sandbox.ts';
import { buildWorld, serializeWorld } from '../seed/index.ts';
import type { SageRecord, World } from '../world/model.ts';
import { SnapshotReader, snapshotLines, worldJson } from './snapshot.ts';
import { StateFile, type StateFileOptions } from './state-file.ts';
import type { CompanyStore, Store } from './store.ts';
import { validateWorld } from './world-shape.ts';

const root = mkdtempSync(join(tmpdir(), 'sage200-state-'));
const seedWorld = smallTestWorld();
const open: StateFile[] = [];
let dirs = 0;

afterEach(() => {
  for (const file of open.splice(0)) file.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function freshWorld(): World {
  return copyOfWorld(seedWorld);
}

let seedNine: World | undefined;
/** A world of another seed (9), built once. */
function anotherWorld(): World {
  seedNine ??= buildWorld({ seed: 9, scale: 'small', asOf: TEST_AS_OF });
  return copyOfWorld(seedNine);
}

function newPath(): string {
  return join(root, `case-${++dirs}`, 'world.state');
}

function openState(path: string, options: Partial<StateFileOptions> = {}): StateFile {
  const file = StateFile.open({
    path,
    compactEvery: 1000,
    initialWorld: freshWorld,
    warn: () => {},
    ...options,
  });
  open.push(file);
  return file;
}

/** The files as a crash would leave them at this instant, copied to a new path (no lock: its holder died). */
function crashCopy(path: string): string {
  const copy = newPath();
  mkdirSync(dirname(copy), { recursive: true });
  for (const suffix of ['', '.wal', '.wal.compacting']) {
    if (existsSync(`${path}${suffix}`)) copyFileSync(`${path}${suffix}`, `${copy}${suffix}`);
  }
  return copy;
}

function fullCompany(store: Store): CompanyStore {
  const site = store.sites.find((s) => s.kind === 'full')!;
  return store.site(site.site_id)!.companies.get(site.companies[0]!.company_id)!;
}

/** A new customer committed through Store.commit, as a create handler would. */
function createCustomer(store: Store, reference: string): SageRecord {
  const company = fullCompany(store);
  const template = company.table('customers').all()[0]!;
  const record = { ...template, id: company.reserveId(), reference, name: `Customer ${reference}` };
  store.commit(company, [{ kind: 'put', table: 'customers', record }]);
  return record;
}

function walLines(path: string): string[] {
  return readFileSync(`${path}.wal`, 'utf8').split('\n').filter(Boolean);
}

function references(store: Store): string[] {
  return fullCompany(store)
    .table('customers')
    .all()
    .map((c) => String(c.reference));
}

describe('StateFile', () => {
  it('has every committed change set on disk before commit returns, and replays them after a crash', () => {
    const path = newPath();
    const file = openState(path);
    const company = fullCompany(file.store);
    const first = company.table('customers').all()[0]!;
    const last = company.table('customers').all().at(-1)!;
    createCustomer(file.store, 'NEW001');
    expect(walLines(path)).toHaveLength(1);
    file.store.commit(company, [
      { kind: 'put', table: 'customers', record: { ...first, name: 'Renamed Ltd' } },
    ]);
    expect(walLines(path)).toHaveLength(2);
    file.store.commit(company, [{ kind: 'delete', table: 'customers', id: last.id as number }]);
    expect(walLines(path)).toHaveLength(3);

    const reopened = openState(crashCopy(path));
    const customers = fullCompany(reopened.store).table('customers');
    expect(customers.get(first.id as number)?.name).toBe('Renamed Ltd');
    expect(customers.get(last.id as number)).toBeUndefined();
    expect(references(reopened.store)).toContain('NEW001');
    expect(serializeWorld(reopened.store.world)).toBe(serializeWorld(file.store.world));
  });

  it('never hands out an id again after a restart', () => {
    const path = newPath();
    const file = openState(path);
    const created = createCustomer(file.store, 'NEW002');
    const reopened = openState(crashCopy(path));
    expect(fullCompany(reopened.store).reserveId()).toBeGreaterThan(created.id as number);
  });

  it('builds the seeded world and snapshots it when the file does not exist, then loads that snapshot', () => {
    const path = newPath();
    const file = openState(path);
    expect(existsSync(path)).toBe(true);
    expect(serializeWorld(file.store.world)).toBe(serializeWorld(seedWorld));
    file.close();
    const again = openState(path, {
      initialWorld: () => {
        throw new Error('the snapshot must be used');
      },
    });
    expect(serializeWorld(again.store.world)).toBe(serializeWorld(seedWorld));
  });

  it('loads a state file of another seed and scale as it is: the state wins over the options', () => {
    const path = newPath();
    openState(path, {
      initialWorld: () => buildWorld({ seed: 7, scale: 'small', asOf: TEST_AS_OF }),
    }).close();
    const file = openState(path, { initialWorld: freshWorld });
    expect(file.store.world.seed).toBe(7);
  });

  it('writes a snapshot and empties the write-ahead log on a clean close', () => {
    const path = newPath();
    const file = openState(path);
    createCustomer(file.store, 'NEW003');
    const expected = serializeWorld(file.store.world);
    file.close();
    expect(statSync(`${path}.wal`).size).toBe(0);
    expect(serializeWorld(openState(path).store.world)).toBe(expected);
  });

  it.each([
    ['a line cut short by a crash', '{"seq":2,"site_id":"abc","comp'],
    ['an unparsable last line', 'not json at all\n'],
    ['a complete change set without its newline', '{"seq":2,"site_id":"x","company_id":1,"changes":[]}'],
  ])('ignores %s at the end of the write-ahead log with a warning, cuts it off and carries on', (_, torn) => {
    const path = newPath();
    const file = openState(path);
    createCustomer(file.store, 'KEPT01');
    const copy = crashCopy(path);
    const goodSize = statSync(`${copy}.wal`).size;
    appendFileSync(`${copy}.wal`, torn);
    const warnings: string[] = [];
    const reopened = openState(copy, { warn: (message) => warnings.push(message) });
    expect(warnings).toEqual([expect.stringMatching(/line 2 is torn or unparsable.*ignored and cut off/)]);
    expect(references(reopened.store)).toContain('KEPT01');
    expect(statSync(`${copy}.wal`).size).toBe(goodSize);
    createCustomer(reopened.store, 'AFTER1');
    expect(references(openState(crashCopy(copy)).store)).toContain('AFTER1');
  });

  it('refuses to start on a corrupt line in the middle of the write-ahead log, naming the file and line', () => {
    const path = newPath();
    const file = openState(path);
    createCustomer(file.store, 'MID001');
    createCustomer(file.store, 'MID002');
    const copy = crashCopy(path);
    const [one, two] = walLines(copy);
    writeFileSync(`${copy}.wal`, `${one}\n${two!.slice(0, 40)}\n${two}\n`);
    expect(() => openState(copy)).toThrow(`${copy}.wal line 2 is corrupt`);
    // The failed start released the lock: the file can be opened once repaired.
    writeFileSync(`${copy}.wal`, `${one}\n`);
    expect(references(openState(copy).store)).toContain('MID001');
  });

  it('refuses a write-ahead log with change sets missing between lines', () => {
    const path = newPath();
    const file = openState(path);
    for (const reference of ['GAP001', 'GAP002', 'GAP003']) createCustomer(file.store, reference);
    const copy = crashCopy(path);
    const [one, , three] = walLines(copy);
    writeFileSync(`${copy}.wal`, `${one}\n${three}\n`);
    expect(() => openState(copy)).toThrow('change set 3 follows 1; change sets are missing');
  });

  it('refuses a write-ahead log whose snapshot is gone rather than replaying it onto the seeded world', () => {
    const path = newPath();
    const file = openState(path);
    createCustomer(file.store, 'LOST01');
    const copy = crashCopy(path);
    rmSync(copy);
    expect(() => openState(copy)).toThrow('exists but its snapshot');
  });

  it('refuses an incomplete snapshot instead of serving part of a world', () => {
    const path = newPath();
    openState(path).close();
    const lines = readFileSync(path, 'utf8').split('\n');
    writeFileSync(path, lines.slice(0, -2).join('\n'));
    expect(() => openState(path)).toThrow('stops before its end line');
  });

  it('compacts after compactEvery change sets: a new snapshot, an empty write-ahead log, nothing lost', async () => {
    const path = newPath();
    const file = openState(path, { compactEvery: 5 });
    for (let i = 0; i < 5; i++) createCustomer(file.store, `CMP00${i}`);
    await new Promise((resolve) => setImmediate(resolve));
    await file.idle();
    expect(statSync(`${path}.wal`).size).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8').split('\n', 1)[0]!).seq).toBe(5);
    createCustomer(file.store, 'CMP005');
    expect(walLines(path)).toEqual([expect.stringContaining('"seq":6')]);
    const reopened = openState(crashCopy(path));
    expect(references(reopened.store)).toEqual(expect.arrayContaining(['CMP000', 'CMP004', 'CMP005']));
  });

  it('loses nothing when the process dies while a background snapshot is being written', async () => {
    const path = newPath();
    const file = openState(path);
    createCustomer(file.store, 'BG0001');
    const compaction = file.compact();
    createCustomer(file.store, 'BG0002');
    expect(existsSync(`${path}.wal.compacting`)).toBe(true);
    const copy = crashCopy(path);
    await compaction;
    expect(existsSync(`${path}.wal.compacting`)).toBe(false);

    const reopened = openState(copy);
    expect(references(reopened.store)).toEqual(expect.arrayContaining(['BG0001', 'BG0002']));
    expect(existsSync(`${copy}.wal.compacting`)).toBe(false);
    expect(serializeWorld(openState(crashCopy(path)).store.world)).toBe(serializeWorld(file.store.world));
  });

  it('replaces the world with its snapshot on disk first, and write-ahead logs writes to the new world', () => {
    const path = newPath();
    const file = openState(path);
    createCustomer(file.store, 'OLD001');
    const other = anotherWorld();
    const store = file.replace(other);
    createCustomer(store, 'NEWWLD');
    const reopened = openState(crashCopy(path));
    expect(reopened.store.world.seed).toBe(9);
    expect(references(reopened.store)).toContain('NEWWLD');
    expect(references(reopened.store)).not.toContain('OLD001');
  });

  it('refuses a write still in flight to a world that was replaced, instead of logging it for the new one', () => {
    const path = newPath();
    const file = openState(path);
    const old = file.store;
    file.replace(anotherWorld());
    expect(() => createCustomer(old, 'STALE1')).toThrow('the world was replaced');
    expect(existsSync(`${path}.wal`) ? readFileSync(`${path}.wal`, 'utf8') : '').toBe('');
  });

  it('refuses writes once closed, leaving the world unchanged', () => {
    const file = openState(newPath());
    const before = references(file.store);
    file.close();
    expect(() => createCustomer(file.store, 'CLOSED')).toThrow('is closed');
    expect(references(file.store)).toEqual(before);
  });

  it('refuses a state file another live process holds, and takes over the lock of one that died', () => {
    const path = newPath();
    openState(path).close();
    writeFileSync(`${path}.lock`, `${process.ppid}\n`);
    expect(() => openState(path)).toThrow(`in use by process ${process.ppid}`);
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(`${path}.lock`, `${dead}\n`);
    const file = openState(path);
    expect(readFileSync(`${path}.lock`, 'utf8').trim()).toBe(String(process.pid));
    expect(() => StateFile.open({ path, compactEvery: 10, initialWorld: freshWorld })).toThrow(
      'already open in this process',
    );
    file.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});

describe('snapshot framing', () => {
  it('reads back the same world, byte for byte, with records a chunk per line', () => {
    const reader = new SnapshotReader();
    let number = 0;
    let longest = 0;
    for (const line of snapshotLines(seedWorld, 42)) {
      expect(line.endsWith('\n')).toBe(true);
      const parsed = JSON.parse(line) as { records?: unknown[] };
      longest = Math.max(longest, parsed.records?.length ?? 0);
      reader.line(line.slice(0, -1), ++number);
    }
    const { world, seq } = reader.finish();
    expect(seq).toBe(42);
    expect(longest).toBe(500);
    expect(serializeWorld(validateWorld(world))).toBe(serializeWorld(seedWorld));
  });

  it('streams the JSON export as exactly the bytes of JSON.stringify', () => {
    expect([...worldJson(seedWorld)].join('')).toBe(JSON.stringify(seedWorld));
  });
});
