/**
 * Request bodies for tests of the body limits: one that never ends and counts what was pulled from it.
 */

/** A body that never ends, in chunks of `chunkBytes`, counting the bytes anyone pulled from it. */
export function endlessBody(chunkBytes = 64 * 1024): {
  stream: ReadableStream<Uint8Array>;
  pulled: () => number;
} {
  let pulled = 0;
  const chunk = new TextEncoder().encode('a'.repeat(chunkBytes));
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}
