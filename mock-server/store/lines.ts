/** Reading newline-framed files (snapshots, write-ahead logs) a chunk at a time, so no file becomes one giant string. */
import { closeSync, fsyncSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/** One line of a file: its text without the newline, its 1-based number and where it starts and ends. */
export interface FileLine {
  text: string;
  number: number;
  start: number;
  /** Offset just past the line's newline (or past its last byte when it has none). */
  end: number;
  /** False only for a last line that does not end in a newline. */
  terminated: boolean;
}

/** Calls `onLine` for each line of the file, in order; the callback may throw to stop. */
export function readLinesSync(path: string, onLine: (line: FileLine) => void): void {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let start = 0;
    let number = 0;
    let position = 0;
    for (;;) {
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, position);
      if (read === 0) break;
      position += read;
      let from = 0;
      for (let at = chunk.indexOf(NEWLINE, 0); at !== -1 && at < read; at = chunk.indexOf(NEWLINE, from)) {
        const piece = chunk.subarray(from, at);
        const bytes = pendingBytes + piece.length;
        const text =
          pending.length === 0 ? piece.toString('utf8') : Buffer.concat([...pending, piece]).toString('utf8');
        pending = [];
        pendingBytes = 0;
        number++;
        onLine({ text, number, start, end: start + bytes + 1, terminated: true });
        start += bytes + 1;
        from = at + 1;
      }
      if (from < read) {
        pending.push(Buffer.from(chunk.subarray(from, read)));
        pendingBytes += read - from;
      }
    }
    if (pendingBytes > 0) {
      number++;
      const text = Buffer.concat(pending).toString('utf8');
      onLine({ text, number, start, end: start + pendingBytes, terminated: false });
    }
  } finally {
    closeSync(fd);
  }
}

/** Splits a stream of chunks into lines (for request bodies); the last line may lack its newline. */
export async function* streamLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  for await (const value of chunks) {
    const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    let from = 0;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, from)) {
      const piece = chunk.subarray(from, at);
      yield pending.length === 0
        ? piece.toString('utf8')
        : Buffer.concat([...pending, piece]).toString('utf8');
      pending = [];
      from = at + 1;
    }
    if (from < chunk.length) pending.push(Buffer.from(chunk.subarray(from)));
  }
  if (pending.length > 0) yield Buffer.concat(pending).toString('utf8');
}

/** Makes a rename or unlink inside `directory` durable (POSIX needs the directory itself fsynced). */
export function fsyncDirectory(directory: string): void {
  let fd: number;
  try {
    fd = openSync(directory, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    // Some platforms (Windows) cannot fsync a directory; there the rename is as durable as it gets.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw error;
  } finally {
    closeSync(fd);
  }
}
