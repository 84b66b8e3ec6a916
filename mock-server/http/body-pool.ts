/**
 * Writing a JSON body that is made of parts (a list: cached record encodings and the commas between them) to a Node
 * response. A page of 100 posted transactions is about 240 KB: copied into a new buffer for every response, each
 * one costs the allocator fresh pages, and on the 2-core machine a bare node:http server doing so fell from about
 * 6,000 to 2,200-3,400 req/s (p99 3 to 18 ms) once it had been idle for a few seconds. So a body of a size worth it
 * is copied into a buffer kept for reuse, given back once Node has handed the bytes to the socket; a very large one
 * is written part by part, without a copy. docs/benchmark.md has the figures.
 */
import type { ServerResponse } from 'node:http';

/**
 * A JSON body as the byte ranges it is made of, in order: cached record encodings and the punctuation between them.
 */
export interface JsonParts {
  readonly parts: readonly Buffer<ArrayBuffer>[];
  readonly byteLength: number;
}

/** Below this a new buffer is cheap (the allocator's free lists serve it). */
const POOLED_FROM = 64 * 1024;
/** Above this a body is written part by part: keeping buffers that size would hold memory for rare responses. */
const POOLED_UP_TO = 8 * 1024 * 1024;
/** Buffers kept per size: a response holds one from the write until Node has sent it. */
const KEPT_PER_SIZE = 16;

/** Free buffers by size, each a power of two from POOLED_FROM to POOLED_UP_TO. */
const kept = new Map<number, Buffer<ArrayBuffer>[]>();

/** Ends `outgoing` (its head already written) with `json`. */
export function endWithJson(outgoing: ServerResponse, json: string | Uint8Array | JsonParts): void {
  if (typeof json === 'string' || json instanceof Uint8Array) {
    outgoing.end(json);
    return;
  }
  const { parts, byteLength } = json;
  if (byteLength < POOLED_FROM) {
    outgoing.end(Buffer.concat(parts, byteLength));
    return;
  }
  if (byteLength > POOLED_UP_TO) {
    // Corked, the parts go to the socket in one write (end uncorks).
    outgoing.cork();
    for (const part of parts) outgoing.write(part);
    outgoing.end();
    return;
  }
  const size = 2 ** Math.ceil(Math.log2(byteLength));
  let free = kept.get(size);
  if (free === undefined) {
    free = [];
    kept.set(size, free);
  }
  const buffer = free.pop() ?? Buffer.allocUnsafeSlow(size);
  let offset = 0;
  for (const part of parts) offset += part.copy(buffer, offset);
  const spare = free;
  // 'finish': Node has written every byte to the socket; a response cut short never finishes, and its buffer is
  // left to the garbage collector.
  outgoing.end(buffer.subarray(0, byteLength), () => {
    if (spare.length < KEPT_PER_SIZE) spare.push(buffer);
  });
}
