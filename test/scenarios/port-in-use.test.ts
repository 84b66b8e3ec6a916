/** A port already in use is reported at once, naming the port and the flag that changes it. */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../mock-server/index.ts';
import { runCli } from '../support/cli.ts';

describe('a port in use', () => {
  let holder: Server;
  let port: number;
  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('rejects startSandbox with a message naming the port and --port, before any world is built', async () => {
    // `scale: 'large'` would take seconds to build; the refusal comes before, from the socket.
    await expect(startSandbox({ port, scale: 'large' })).rejects.toMatchObject({
      code: 'EADDRINUSE',
      message: `port ${port} on 127.0.0.1 is in use: stop what holds it, or choose another with --port <n> (0 picks a free one)`,
    });
  });

  it('makes the CLI exit 2 with that message', async () => {
    const { code, stderr } = await runCli(['--port', String(port), '--scale', 'small']);
    expect(code).toBe(2);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
  });
});
