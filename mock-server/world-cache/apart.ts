/**
 * Builds a seeded world in a child process (`apart-child.ts`) that writes it to a cache file and exits, so the
 * process that serves it holds only what it reads back (index.ts `seededWorldApart` says why). The child tells its
 * build steps one JSON line each on stdout; what it says on stderr is kept for the error if it fails.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Scale, WorldBuildProgress } from '../world/model.ts';

export interface WorldFileBuild {
  seed: number;
  scale: Scale;
  /** The as-of date (`YYYY-MM-DD`) the world is built relative to. */
  asOf: string;
  /** Where the child writes the world (through a temporary name, renamed into place when whole). */
  path: string;
  onProgress?: ((progress: WorldBuildProgress) => void) | undefined;
  /** Stops the child (the sandbox is stopping); the promise then rejects. */
  signal?: AbortSignal | undefined;
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

/** Settles once the child has written the world to `path`; rejects, saying why, when it could not. */
export function buildWorldFile({
  seed,
  scale,
  asOf,
  path,
  onProgress,
  signal,
}: WorldFileBuild): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('the sandbox is stopping'));
    const child = spawn(process.execPath, [...childCommand(), String(seed), scale, asOf, path], {
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
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const lines = (pending + text).split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line !== '') onProgress?.(JSON.parse(line) as WorldBuildProgress);
    });
    child.once('error', (error) => {
      signal?.removeEventListener('abort', stop);
      reject(error);
    });
    child.once('close', (code, killedBy) => {
      signal?.removeEventListener('abort', stop);
      if (code === 0) return resolve();
      if (signal?.aborted) return reject(new Error('the sandbox is stopping'));
      const why = stderr.trim().split('\n').at(-1) ?? '';
      reject(
        new Error(
          `the builder ${killedBy ? `was killed by ${killedBy}` : `exited with ${code}`}${why ? `: ${why}` : ''}`,
        ),
      );
    });
  });
}
