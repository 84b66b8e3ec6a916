/**
 * `/admin/state`: the whole world out (GET) and in (PUT), docs/durability.md. JSON by default (the `World` shape:
 * seed, scale, users, sites with their companies and collections); `application/x-ndjson` is the state file's
 * snapshot framing, a line per chunk of records, for worlds too large to send as one JSON document.
 */
import { constants } from 'node:buffer';
import { type Context, Hono } from 'hono';
import { AdminError } from '../errors.ts';
import {
  captureWorld,
  NDJSON_TYPE,
  SnapshotError,
  SnapshotReader,
  type StateFile,
  type Store,
  snapshotLines,
  validateWorld,
  WorldShapeError,
  worldJson,
} from '../store/index.ts';
import { streamLines } from '../store/lines.ts';
import { batched } from '../store/snapshot.ts';
import type { World } from '../world/model.ts';
import { worldSummary } from './world-summary.ts';

export interface StateRoutesDeps {
  store: () => Store;
  replaceWorld: (world: World) => void;
  stateFile: () => StateFile | undefined;
}

/** Bytes per chunk of an exported world. */
const EXPORT_CHUNK_BYTES = 256 * 1024;

/** Mount with `admin.route('/state', stateRoutes(deps))`. */
export function stateRoutes(deps: StateRoutesDeps): Hono {
  const routes = new Hono();

  routes.get('/', (c) => {
    const ndjson = new RegExp(NDJSON_TYPE, 'i').test(c.req.header('Accept') ?? '');
    // A point-in-time view: writes during a long download do not tear the export.
    const world = captureWorld(deps.store().world);
    const parts = ndjson ? snapshotLines(world, deps.stateFile()?.seq ?? 0) : worldJson(world);
    return new Response(readableOf(batched(parts, EXPORT_CHUNK_BYTES)), {
      status: 200,
      headers: {
        'Content-Type': ndjson ? NDJSON_TYPE : 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
      },
    });
  });

  routes.put('/', async (c) => {
    const world = await readWorld(c);
    deps.replaceWorld(world);
    return c.json({
      ...worldSummary(world),
      state_file: deps.stateFile()?.path ?? null,
    });
  });

  return routes;
}

/** The request's world, parsed and validated; any problem is a 4xx AdminError and nothing has changed. */
async function readWorld(c: Context): Promise<World> {
  const type = (c.req.header('Content-Type') ?? '').trim();
  let value: unknown;
  if (/^application\/json\s*(;|$)/i.test(type)) {
    const text = await readText(c.req.raw);
    if (text.trim() === '')
      throw new AdminError(400, 'invalid_json', 'the body is empty; send a world as JSON');
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new AdminError(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
    }
  } else if (new RegExp(`^${NDJSON_TYPE}\\s*(;|$)`, 'i').test(type)) {
    value = await readSnapshotBody(c.req.raw);
  } else {
    throw new AdminError(
      415,
      'unsupported_media_type',
      `send the world as application/json, or as ${NDJSON_TYPE} (the framing GET /admin/state gives with Accept: ${NDJSON_TYPE})`,
    );
  }
  try {
    return validateWorld(value);
  } catch (error) {
    if (error instanceof WorldShapeError) throw new AdminError(400, 'invalid_world', error.message);
    throw error;
  }
}

async function readText(request: Request): Promise<string> {
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size > constants.MAX_STRING_LENGTH) {
      throw new AdminError(
        413,
        'too_large',
        `the body is larger than one JSON string can be (${constants.MAX_STRING_LENGTH} characters); send it as ${NDJSON_TYPE}`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readSnapshotBody(request: Request): Promise<unknown> {
  const reader = new SnapshotReader();
  try {
    let number = 0;
    for await (const line of streamLines(request.body ?? emptyStream())) reader.line(line, ++number);
    return reader.finish().world;
  } catch (error) {
    if (error instanceof SnapshotError)
      throw new AdminError(400, 'invalid_snapshot', `the body is not a usable snapshot: ${error.message}`);
    throw error;
  }
}

function emptyStream(): AsyncIterable<Uint8Array> {
  return (async function* () {})();
}

/** A byte stream pulled from an iterator, a chunk per read: nothing is produced faster than it is sent. */
function readableOf(chunks: Iterator<Buffer>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = chunks.next();
        if (next.done) controller.close();
        else
          controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      },
    },
    { highWaterMark: 0 },
  );
}
