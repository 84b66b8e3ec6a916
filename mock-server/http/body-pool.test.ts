import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endWithJson, type JsonParts } from './body-pool.ts';

/** A JSON array of `count` records of about `size` bytes each, every byte depending on `seed`. */
function parts(count: number, size: number, seed: number): JsonParts {
  const list: Buffer<ArrayBuffer>[] = [Buffer.from('[')];
  for (let i = 0; i < count; i++) {
    if (i > 0) list.push(Buffer.from(','));
    list.push(Buffer.from(JSON.stringify({ id: seed * 1000 + i, text: String(seed % 10).repeat(size) })));
  }
  list.push(Buffer.from(']'));
  return { parts: list, byteLength: list.reduce((sum, part) => sum + part.length, 0) };
}

const joined = (json: JsonParts) => Buffer.concat(json.parts).toString();

describe('a JSON body of parts on a Node response', () => {
  let server: Server;
  let origin: string;
  const bodies = new Map<string, JsonParts>();

  beforeAll(async () => {
    server = createServer((incoming, outgoing) => {
      const json = bodies.get(incoming.url ?? '')!;
      outgoing.writeHead(200, { 'Content-Length': json.byteLength });
      endWithJson(outgoing, json);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['small, copied into a new buffer', 3, 100],
    ['pooled', 100, 2_400],
    ['very large, written part by part', 2_000, 5_000],
  ])('sends a %s body byte for byte', async (_name, count, size) => {
    const json = parts(count, size, 1);
    bodies.set(`/${size}`, json);
    const response = await fetch(`${origin}/${size}`);
    expect(await response.text()).toBe(joined(json));
  });

  it.each([
    ['pages of a list', 60, 90, 2_400],
    ['bodies larger than the socket takes at once', 8, 1_000, 5_000],
  ])(
    'gives each of many concurrent %s its own bytes while buffers are reused',
    async (_name, many, count, size) => {
      // Same sizes, different bytes: a buffer handed back too early would show another response's bytes.
      for (let seed = 0; seed < many; seed++)
        bodies.set(`/${size}/${seed}`, parts(count + (seed % 7), size, seed));
      for (let round = 0; round < 3; round++) {
        const seeds = Array.from({ length: many }, (_, seed) => seed);
        const texts = await Promise.all(
          seeds.map(async (seed) => (await fetch(`${origin}/${size}/${seed}`)).text()),
        );
        for (const [seed, text] of texts.entries()) {
          expect(text === joined(bodies.get(`/${size}/${seed}`)!)).toBe(true);
        }
      }
    },
  );

  it('sends a string or a buffer as it is', async () => {
    const texts = ['[1,2]', Buffer.from('{"a":"é"}')];
    const plain = createServer((incoming, outgoing) =>
      endWithJson(outgoing, texts[Number(incoming.url!.slice(1))]!),
    );
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as AddressInfo).port;
    expect(await (await fetch(`http://127.0.0.1:${port}/0`)).text()).toBe('[1,2]');
    expect(await (await fetch(`http://127.0.0.1:${port}/1`)).text()).toBe('{"a":"é"}');
    await new Promise<void>((resolve) => plain.close(() => resolve()));
  });
});
