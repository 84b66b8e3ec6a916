/**
 * Builds a seeded world in a child process (`apart-child.ts`) that writes it to a cache file and exits, so the
 * process that serves it holds only what it reads back (index.ts `seededWorldApart` says why). The child first
 * tells the world's skeleton, one JSON line on stdout; what it says on stderr is kept for the error if it fails.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SandboxSite, SandboxUser, Scale, World } from '../world/model.ts';
import { temporaryPathFor } from './file.ts';

export interface WorldFileBuild {
  seed: number;
  scale: Scale;
  /** The as-of date (`YYYY-MM-DD`) the world is built relative to. */
  asOf: string;
  /** Where the child writes the world (through a temporary name, renamed into place when whole). */
  path: string;
  /** Stops the child (the sandbox is stopping); the promises then reject. */
  signal?: AbortSignal | undefined;
}

/** A world's users and sites, with each company by its id and name only: all `/sites` needs. */
export interface WorldSkeleton {
  seed: number;
  scale: Scale;
  as_of?: string;
  users: SandboxUser[];
  sites: (Omit<SandboxSite, 'companies'> & { companies: { company_id: number; company_name: string }[] })[];
}

/** The skeleton of `world`; reads no company field but its id and name. */
export function skeletonOf(world: World): WorldSkeleton {
  return {
    ...world,
    sites: world.sites.map((site) => ({
      ...site,
      companies: site.companies.map(({ company_id, company_name }) => ({ company_id, company_name })),
    })),
  };
}

export interface WorldFileBuilder {
  /** The world's skeleton, told by the child before it builds any company. */
  skeleton: Promise<WorldSkeleton>;
  /** Settles once the child has written the world to the file. */
  written: Promise<void>;
}

/** The child's entry beside this file: TypeScript in a clone (run through tsx), JavaScript once compiled. */
function childCommand(): string[] {
  const here = fileURLToPath(import.meta.url);
  const compiled = here.endsWith('.js');
  const entry = here.replace(/apart\.(ts|js)$/, `apart-child.${compiled ? 'js' : 'ts'}`);
  if (compiled) return [entry];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', tsx, entry];
}

/**
 * Starts the child; each promise rejects, saying why, when the child fails before it is fulfilled. A child that
 * does not finish (killed because the sandbox stops, or failed) has its temporary file removed here: a killed
 * process cannot remove its own.
 */
export function buildWorldFile({ seed, scale, asOf, path, signal }: WorldFileBuild): WorldFileBuilder {
  let tell: (skeleton: WorldSkeleton) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const skeleton = new Promise<WorldSkeleton>((resolve, reject) => {
    tell = resolve;
    fail = reject;
  });
  const written = new Promise<void>((resolve, reject) => {
    const failed = (error: Error): void => {
      fail(error);
      reject(error);
    };
    if (signal?.aborted) return failed(new Error('the sandbox is stopping'));
    const temporary = temporaryPathFor(path);
    const child = spawn(process.execPath, [...childCommand(), String(seed), scale, asOf, path, temporary], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stop = (): void => {
      child.kill('SIGTERM');
    };
    signal?.addEventListener('abort', stop, { once: true });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    // The skeleton is the first line; anything after it is not the builder's to say.
    let pending = '';
    const firstLine = (text: string): void => {
      pending += text;
      const end = pending.indexOf('\n');
      if (end === -1) return;
      child.stdout.off('data', firstLine);
      try {
        tell(JSON.parse(pending.slice(0, end)) as WorldSkeleton);
      } catch (error) {
        fail(new Error(`the builder's first line is not the world's skeleton (${(error as Error).message})`));
      }
    };
    child.stdout.setEncoding('utf8').on('data', firstLine);
    child.once('error', (error) => {
      signal?.removeEventListener('abort', stop);
      failed(error);
    });
    child.once('close', (code, killedBy) => {
      signal?.removeEventListener('abort', stop);
      if (code === 0) {
        fail(new Error('the builder told no skeleton'));
        return resolve();
      }
      try {
        rmSync(temporary, { force: true });
      } catch {
        // A folder that cannot hold the file (the likely reason the child failed) holds no file to remove.
      }
      if (signal?.aborted) return failed(new Error('the sandbox is stopping'));
      const why = stderr.trim().split('\n').at(-1) ?? '';
      failed(
        new Error(
          `the builder ${killedBy ? `was killed by ${killedBy}` : `exited with ${code}`}${why ? `: ${why}` : ''}`,
        ),
      );
    });
  });
  // Either may go unawaited when the other has failed.
  skeleton.catch(() => {});
  written.catch(() => {});
  return { skeleton, written };
}
