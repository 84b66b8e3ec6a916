/**
 * `--state-file <path>`: the world kept on disk across restarts. `<path>` holds a snapshot (snapshot.ts),
 * `<path>.wal` every change set committed since (write-ahead-log.ts), fsynced before the write is answered.
 * Start-up loads the snapshot (or builds the seeded world and snapshots it) and replays the write-ahead log; every
 * `compactEvery` change sets, and on a clean shutdown, a fresh snapshot replaces the old one and the write-ahead log is
 * emptied. Files: `<path>.wal.compacting` (the write-ahead log a snapshot in progress covers), `<path>.lock`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { World } from '../world/model.ts';
import { fsyncDirectory, readLinesSync } from './lines.ts';
import { SnapshotError, SnapshotReader, writeSnapshotFile, writeSnapshotSync } from './snapshot.ts';
import { type ChangeSet, Store, type WriteAheadLog } from './store.ts';
import { captureWorld, validateWorld, WorldShapeError } from './world-shape.ts';
import {
  FileWriteAheadLog,
  type LoggedChangeSet,
  replayWriteAheadLog,
  WriteAheadLogError,
} from './write-ahead-log.ts';

export interface StateFileOptions {
  path: string;
  /** Change sets logged before a new snapshot is written and the write-ahead log emptied. */
  compactEvery: number;
  /** The world to start from when there is no snapshot yet (the seeded one). */
  initialWorld: () => World;
  /** Where warnings go (a torn write-ahead log line, a snapshot that could not be written); stderr by default. */
  warn?: (message: string) => void;
}

/** A state file that cannot be used: unreadable snapshot, corrupt write-ahead log, or in use by another process. */
export class StateFileError extends Error {}

/** State files open in this process: a second sandbox on the same file would interleave their write-ahead logs. */
const OPEN_PATHS = new Set<string>();

let temporaries = 0;

export class StateFile {
  readonly path: string;
  readonly walPath: string;
  readonly #compactingPath: string;
  readonly #lockPath: string;
  readonly #compactEvery: number;
  readonly #warn: (message: string) => void;
  #store: Store | undefined;
  #wal: FileWriteAheadLog | undefined;
  /** The last change set the snapshot on disk includes. */
  #snapshotSeq = 0;
  /** The last change set covered by a snapshot written or being written. */
  #compactedThrough = 0;
  /** Bumped by each synchronous snapshot: a background one started before it is then discarded. */
  #generation = 0;
  #compacting: Promise<void> | undefined;
  #scheduled = false;
  /** Counts the worlds this file has held (`replace` starts a new one). */
  #worlds = 0;
  #closed = false;

  private constructor(options: StateFileOptions) {
    this.path = resolve(options.path);
    this.walPath = `${this.path}.wal`;
    this.#compactingPath = `${this.path}.wal.compacting`;
    this.#lockPath = `${this.path}.lock`;
    this.#compactEvery = options.compactEvery;
    this.#warn =
      options.warn ?? ((message) => process.stderr.write(`sage200-sandbox: warning: ${message}\n`));
  }

  /** Opens the state file, loading and replaying what is there; throws StateFileError when it cannot. */
  static open(options: StateFileOptions): StateFile {
    const file = new StateFile(options);
    file.#load(options.initialWorld);
    return file;
  }

  /** The live store; replaced by `replace`. */
  get store(): Store {
    if (!this.#store) throw new StateFileError('the state file is not loaded');
    return this.#store;
  }

  /** The number of the last change set logged. */
  get seq(): number {
    return this.#wal?.seq ?? this.#snapshotSeq;
  }

  /** Replaces the whole world (`PUT /admin/state`): its snapshot is on disk before the store changes. */
  replace(world: World): Store {
    const wal = this.#openWriteAheadLog();
    this.#generation++;
    const seq = wal.seq;
    writeSnapshotSync(this.path, world, seq, this.#temporary());
    this.#store = new Store(world, this.#forwardingWriteAheadLog());
    this.#snapshotWritten(seq);
    return this.#store;
  }

  /**
   * Writes a snapshot in the background: the write-ahead log so far is set aside, a point-in-time view of the world is
   * written to a temporary file (yielding between batches), then renamed over the snapshot. Writes carry on
   * meanwhile into a fresh write-ahead log; a crash at any step leaves snapshot + write-ahead logs that replay to the same world.
   */
  compact(): Promise<void> {
    if (this.#closed || !this.#store) return Promise.resolve();
    if (this.#compacting) return this.#compacting;
    if (existsSync(this.#compactingPath)) {
      // A background snapshot failed earlier: two write-ahead logs to fold in, done in one synchronous step.
      this.#compactSyncOrWarn();
      return Promise.resolve();
    }
    const wal = this.#openWriteAheadLog();
    const seq = wal.seq;
    if (seq === this.#snapshotSeq) return Promise.resolve();
    const view = captureWorld(this.#store.world);
    const generation = this.#generation;
    try {
      wal.rotate(this.#compactingPath);
    } catch (error) {
      this.#warn(
        `cannot set the write-ahead log aside for a snapshot (${(error as Error).message}); will retry`,
      );
      return Promise.resolve();
    }
    this.#compactedThrough = seq;
    const temporary = this.#temporary();
    const run = async (): Promise<void> => {
      try {
        await writeSnapshotFile(temporary, view, seq);
      } catch (error) {
        rmSync(temporary, { force: true });
        this.#warn(
          `cannot write a snapshot (${(error as Error).message}); the write-ahead logs keep every change`,
        );
        return;
      }
      if (generation !== this.#generation || this.#closed) {
        rmSync(temporary, { force: true });
        return;
      }
      try {
        renameSync(temporary, this.path);
        fsyncDirectory(dirname(this.path));
        this.#snapshotSeq = seq;
        rmSync(this.#compactingPath, { force: true });
        fsyncDirectory(dirname(this.path));
      } catch (error) {
        this.#warn(
          `cannot install a snapshot (${(error as Error).message}); the write-ahead logs keep every change`,
        );
      }
    };
    this.#compacting = run().finally(() => {
      this.#compacting = undefined;
      this.#scheduleIfDue();
    });
    return this.#compacting;
  }

  /** Writes a snapshot of the world as it is now and empties the write-ahead logs, blocking until done. */
  compactSync(): void {
    const wal = this.#openWriteAheadLog();
    this.#generation++;
    const seq = wal.seq;
    writeSnapshotSync(this.path, this.store.world, seq, this.#temporary());
    this.#snapshotWritten(seq);
  }

  /** Resolves once no background snapshot is being written. */
  async idle(): Promise<void> {
    while (this.#compacting) await this.#compacting;
  }

  /** Writes a final snapshot (when anything changed since the last) and releases the files. Idempotent. */
  close(): void {
    if (this.#closed) return;
    try {
      if (this.#wal && (this.#wal.seq !== this.#snapshotSeq || existsSync(this.#compactingPath))) {
        this.compactSync();
      }
    } catch (error) {
      this.#warn(
        `cannot write the final snapshot (${(error as Error).message}); the write-ahead log keeps every change`,
      );
    } finally {
      this.#closed = true;
      this.#wal?.close();
      this.#unlock();
    }
  }

  #load(initialWorld: () => World): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
    } catch (error) {
      throw new StateFileError(`cannot create the folder of ${this.path}: ${(error as Error).message}`);
    }
    this.#lock();
    try {
      this.#removeTemporaries();
      let world: World;
      let seq: number;
      if (existsSync(this.path)) {
        ({ world, seq } = readSnapshot(this.path));
      } else {
        for (const wal of [this.walPath, this.#compactingPath]) {
          if (existsSync(wal)) {
            throw new StateFileError(
              `${wal} exists but its snapshot ${this.path} does not: the write-ahead log cannot be replayed without ` +
                'it. Restore the snapshot, or remove the write-ahead log to start from the seeded world.',
            );
          }
        }
        world = initialWorld();
        seq = 0;
        writeSnapshotSync(this.path, world, seq, this.#temporary());
      }
      this.#store = new Store(world, this.#forwardingWriteAheadLog());
      this.#snapshotSeq = seq;
      this.#compactedThrough = seq;
      let last = seq;
      for (const file of [this.#compactingPath, this.walPath]) {
        if (existsSync(file))
          last = replayWriteAheadLog(file, last, (entry) => this.#replay(entry), this.#warn);
      }
      this.#wal = new FileWriteAheadLog(this.walPath, last, () => this.#scheduleIfDue());
      if (existsSync(this.#compactingPath)) this.compactSync();
      else this.#scheduleIfDue();
    } catch (error) {
      this.#wal?.close();
      this.#unlock();
      if (error instanceof StateFileError) throw error;
      if (error instanceof WriteAheadLogError) throw new StateFileError(error.message);
      throw new StateFileError(`cannot use the state file ${this.path}: ${(error as Error).message}`);
    }
  }

  #replay(entry: LoggedChangeSet): void {
    const company = this.store.site(entry.site_id)?.companies.get(entry.company_id);
    if (!company) {
      throw new Error(
        `change set ${entry.seq} is for company ${entry.company_id} of site ${entry.site_id}, not in the world`,
      );
    }
    company.apply(entry.changes);
  }

  /**
   * What a Store is given. A write still in flight to a world that `replace` has since swapped out is refused
   * (never acknowledged): its change set would otherwise be logged against the new world.
   */
  #forwardingWriteAheadLog(): WriteAheadLog {
    const world = ++this.#worlds;
    return {
      append: (changeSet: ChangeSet) => {
        if (world !== this.#worlds) {
          throw new WriteAheadLogError(
            'the world was replaced while this write was in flight; it was not applied',
          );
        }
        this.#openWriteAheadLog().append(changeSet);
      },
    };
  }

  #openWriteAheadLog(): FileWriteAheadLog {
    if (this.#closed || !this.#wal) throw new WriteAheadLogError(`the state file ${this.path} is closed`);
    return this.#wal;
  }

  #snapshotWritten(seq: number): void {
    this.#snapshotSeq = seq;
    this.#compactedThrough = seq;
    this.#openWriteAheadLog().truncate();
    rmSync(this.#compactingPath, { force: true });
    fsyncDirectory(dirname(this.path));
  }

  #compactSyncOrWarn(): void {
    try {
      this.compactSync();
    } catch (error) {
      this.#warn(
        `cannot write a snapshot (${(error as Error).message}); the write-ahead logs keep every change`,
      );
    }
  }

  #scheduleIfDue(): void {
    if (this.#scheduled || this.#compacting || this.#closed || !this.#wal) return;
    if (this.#wal.seq - this.#compactedThrough < this.#compactEvery) return;
    this.#scheduled = true;
    // After the commit that got here has been applied: a snapshot must never miss a logged change.
    setImmediate(() => {
      this.#scheduled = false;
      void this.compact();
    });
  }

  #temporary(): string {
    return `${this.path}.${process.pid}-${++temporaries}.tmp`;
  }

  /** Temporary snapshots a crash left behind. */
  #removeTemporaries(): void {
    const prefix = `${basename(this.path)}.`;
    for (const name of readdirSync(dirname(this.path))) {
      if (name.startsWith(prefix) && name.endsWith('.tmp'))
        rmSync(join(dirname(this.path), name), { force: true });
    }
  }

  #lock(): void {
    if (OPEN_PATHS.has(this.path)) throw new StateFileError(`${this.path} is already open in this process`);
    for (;;) {
      try {
        writeFileSync(this.#lockPath, `${process.pid}\n`, { flag: 'wx' });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new StateFileError(`cannot lock ${this.path}: ${(error as Error).message}`);
        }
      }
      const holder = Number(readFileSync(this.#lockPath, 'utf8').trim());
      if (holder !== process.pid && processIsAlive(holder)) {
        throw new StateFileError(
          `${this.path} is in use by process ${holder} (lock file ${this.#lockPath}); stop that sandbox first`,
        );
      }
      // The holder is gone (a crash or SIGKILL): the lock is stale.
      rmSync(this.#lockPath, { force: true });
    }
    OPEN_PATHS.add(this.path);
  }

  #unlock(): void {
    if (!OPEN_PATHS.delete(this.path)) return;
    rmSync(this.#lockPath, { force: true });
  }
}

/** Reads and validates a snapshot file. */
function readSnapshot(path: string): { world: World; seq: number } {
  const reader = new SnapshotReader();
  try {
    readLinesSync(path, (line) => reader.line(line.text, line.number));
    const { world, seq } = reader.finish();
    return { world: validateWorld(world), seq };
  } catch (error) {
    if (error instanceof SnapshotError)
      throw new StateFileError(`${path} is not a usable snapshot: ${error.message}`);
    if (error instanceof WorldShapeError) {
      throw new StateFileError(`${path} holds a world the sandbox cannot serve: ${error.message}`);
    }
    throw error;
  }
}

function processIsAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
