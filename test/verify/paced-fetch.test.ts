/** verify's and the proxy's pace: requests a second, and 429s waited out (client/verify/http.ts). */
import { describe, expect, it } from 'vitest';
import { type Pace, pacedFetch } from '../../client/verify/http.ts';

/** A clock that moves only when the code under test sleeps. */
function fakePace(): Pace & { sent: number[] } {
  let now = 0;
  return {
    sent: [],
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

describe('pacedFetch', () => {
  it('sends at most rps requests a second', async () => {
    const pace = fakePace();
    const fetch = pacedFetch(
      async () => {
        pace.sent.push(pace.now());
        return new Response('[]');
      },
      4,
      pace,
    );
    await Promise.all([1, 2, 3, 4, 5].map(() => fetch(new Request('http://sage.test/x'))));
    expect(pace.sent).toEqual([0, 250, 500, 750, 1000]);
  });

  it('waits out a 429 for its Retry-After and sends the request again, body and all', async () => {
    const pace = fakePace();
    const bodies: string[] = [];
    let calls = 0;
    const fetch = pacedFetch(
      async (request) => {
        bodies.push(await request.text());
        calls += 1;
        return calls === 1
          ? new Response('', { status: 429, headers: { 'Retry-After': '3' } })
          : new Response('{}');
      },
      1000,
      pace,
    );
    const response = await fetch(new Request('http://sage.test/x?a=1', { method: 'POST', body: '{"b":2}' }));
    expect(response.status).toBe(200);
    expect(bodies).toEqual(['{"b":2}', '{"b":2}']);
    expect(pace.now()).toBeGreaterThanOrEqual(3000);
    expect(fetch.throttles).toEqual([
      { method: 'POST', path: '/x?a=1', retryAfterSeconds: 3, waitedMs: 3000 },
    ]);
  });

  it('gives up after four attempts and answers the last 429', async () => {
    const fetch = pacedFetch(
      async () => new Response('', { status: 429, headers: { 'Retry-After': '1' } }),
      1000,
      fakePace(),
    );
    expect((await fetch(new Request('http://sage.test/x'))).status).toBe(429);
    expect(fetch.throttles).toHaveLength(3);
  });
});
