/**
 * Durability (issue 4, item 6): the `sage200-sandbox` command with `--state-file`, killed with SIGKILL in the
 * middle of a burst of writes, comes back with every write it acknowledged and nothing half written; a torn last
 * write-ahead log line is ignored with a warning. Real processes, real files, every wait bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_CLI } from '../support/cli.ts';

const START_TIMEOUT_MS = 40_000;
const root = mkdtempSync(join(tmpdir(), 'sage200-durability-'));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Sandbox {
  child: ChildProcess;
  api: string;
  admin: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts the CLI on a state file and resolves once its banner is out (or rejects with what it printed). */
async function startCli(stateFile: string): Promise<Sandbox> {
  const child = spawn(
    process.execPath,
    [...SANDBOX_CLI, '--port', '0', '--scale', 'small', '--state-file', stateFile],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no banner in time:\n${stdout}\n${stderr}`)),
      START_TIMEOUT_MS,
    );
    const check = () => {
      if (!stdout.includes('Press Ctrl+C')) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  const api = /Sage 200 API\s+(\S+)/.exec(stdout)?.[1];
  const admin = /Admin API\s+(\S+)/.exec(stdout)?.[1];
  if (!api || !admin) throw new Error(`no URLs in the banner:\n${stdout}`);
  return { child, api, admin, stdout: () => stdout, stderr: () => stderr, exited };
}

async function kill(sandbox: Sandbox, signal: NodeJS.Signals): Promise<number | null> {
  sandbox.child.kill(signal);
  return withTimeout(sandbox.exited, 20_000, `the sandbox did not exit on ${signal}`);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Signs in as the full user and returns the headers for their first company. */
async function signIn(sandbox: Sandbox): Promise<Record<string, string>> {
  const minted = await fetch(`${sandbox.admin}/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'full@sandbox.test' }),
  });
  const { access_token } = (await minted.json()) as { access_token: string };
  const auth = { Authorization: `Bearer ${access_token}` };
  const sites = (await (await fetch(`${sandbox.api}sites`, { headers: auth })).json()) as {
    site_id: string;
    company_id: number;
  }[];
  return {
    ...auth,
    'X-Site': sites[0]!.site_id,
    'X-Company': String(sites[0]!.company_id),
    'Content-Type': 'application/json',
  };
}

interface Customer {
  id: number;
  reference: string;
  name: string;
  [field: string]: unknown;
}

function createCustomer(
  sandbox: Sandbox,
  headers: Record<string, string>,
  reference: string,
): Promise<Response> {
  return fetch(`${sandbox.api}customers`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      reference,
      name: `Durable ${reference}`,
      spare_text_1: `payload of ${reference}`,
    }),
    signal: AbortSignal.timeout(15_000),
  });
}

async function customersStartingWith(
  sandbox: Sandbox,
  headers: Record<string, string>,
  prefix: string,
): Promise<Customer[]> {
  const response = await fetch(
    `${sandbox.api}customers?$filter=startswith(reference,'${prefix}')&$top=5000&$orderby=id`,
    { headers },
  );
  expect(response.status).toBe(200);
  return (await response.json()) as Customer[];
}

describe('the sandbox with --state-file', () => {
  it('keeps every acknowledged write across a SIGKILL in the middle of a write burst, and no half-written record', async () => {
    const stateFile = join(root, 'burst', 'world.state');
    const first = await startCli(stateFile);
    const headers = await signIn(first);
    const acknowledged: Customer[] = [];
    const sent: string[] = [];
    const IN_FLIGHT = 16;
    const KILL_AFTER = 120;
    let killed: Promise<number | null> | undefined;
    // Workers keep IN_FLIGHT creates going at once, and go on until the process is gone, so the kill always lands
    // while some are being handled and each lane's last one goes unanswered.
    const worker = async (lane: number) => {
      for (let n = 0; n < 1000; n++) {
        const reference = `DB${String(lane).padStart(2, '0')}${String(n).padStart(3, '0')}`;
        sent.push(reference);
        let response: Response;
        try {
          response = await createCustomer(first, headers, reference);
        } catch {
          return; // the connection died with the process: not acknowledged
        }
        if (response.status !== 200) continue;
        let body: Customer;
        try {
          body = (await response.json()) as Customer;
        } catch {
          return;
        }
        acknowledged.push(body);
        if (acknowledged.length === KILL_AFTER && !killed) killed = kill(first, 'SIGKILL');
      }
    };
    await withTimeout(
      Promise.all(Array.from({ length: IN_FLIGHT }, (_, lane) => worker(lane))),
      60_000,
      'the write burst did not finish',
    );
    expect(killed).toBeDefined();
    expect(await killed).toBeNull();
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(sent.length).toBeGreaterThan(acknowledged.length);

    const second = await startCli(stateFile);
    const again = await signIn(second);
    const found = await customersStartingWith(second, again, 'DB');
    const byReference = new Map(found.map((c) => [c.reference, c]));
    for (const written of acknowledged) {
      const stored = byReference.get(written.reference);
      expect(stored, `acknowledged ${written.reference} is missing`).toBeDefined();
      expect(stored).toEqual(written);
    }
    // Beyond the acknowledged ones only writes that were sent may appear, and each one whole.
    const keys = Object.keys(acknowledged[0]!).sort();
    for (const customer of found) {
      expect(sent).toContain(customer.reference);
      expect(customer.name).toBe(`Durable ${customer.reference}`);
      expect(customer.spare_text_1).toBe(`payload of ${customer.reference}`);
      expect(Object.keys(customer).sort()).toEqual(keys);
    }
    expect(new Set(found.map((c) => c.id)).size).toBe(found.length);

    // Ids are never handed out twice, crash or not.
    const after = await createCustomer(second, again, 'DBAFTER');
    expect(after.status).toBe(200);
    const afterId = ((await after.json()) as Customer).id;
    expect(afterId).toBeGreaterThan(Math.max(...found.map((c) => c.id)));
    expect(await kill(second, 'SIGTERM')).toBe(0);
  }, 120_000);

  it('ignores a torn last write-ahead log line with a warning, and serves everything before it', async () => {
    const stateFile = join(root, 'torn', 'world.state');
    const first = await startCli(stateFile);
    const headers = await signIn(first);
    const kept = await createCustomer(first, headers, 'TORN01');
    expect(kept.status).toBe(200);
    await kill(first, 'SIGKILL');
    const wal = `${stateFile}.wal`;
    const whole = statSync(wal).size;
    appendFileSync(wal, '{"seq":2,"site_id":"f396c05e-7fdf-4e4d-b1c4-1fd8d97a6a91","company_id":1,"chan');

    const second = await startCli(stateFile);
    expect(second.stderr()).toMatch(/warning: .*world\.state\.wal line 2 is torn or unparsable/);
    expect(statSync(wal).size).toBe(whole);
    const found = await customersStartingWith(second, await signIn(second), 'TORN');
    expect(found.map((c) => c.reference)).toEqual(['TORN01']);
    await kill(second, 'SIGTERM');
  }, 120_000);

  it('refuses to start on a corrupt line in the middle of the write-ahead log, saying which', async () => {
    const stateFile = join(root, 'corrupt', 'world.state');
    const first = await startCli(stateFile);
    const headers = await signIn(first);
    for (const reference of ['BAD001', 'BAD002']) {
      expect((await createCustomer(first, headers, reference)).status).toBe(200);
    }
    await kill(first, 'SIGKILL');
    const wal = `${stateFile}.wal`;
    const [one, two] = readFileSync(wal, 'utf8').split('\n');
    writeFileSync(wal, `${one}\n{"seq":2,"garbage\n${two}\n`);

    const child = spawn(
      process.execPath,
      [...SANDBOX_CLI, '--port', '0', '--scale', 'small', '--state-file', stateFile],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await withTimeout(
      new Promise<number | null>((resolve) => child.once('exit', resolve)),
      START_TIMEOUT_MS,
      'the sandbox neither started nor failed',
    );
    expect(code).toBe(1);
    expect(stderr).toContain('world.state.wal line 2 is corrupt');
  }, 120_000);

  it('folds the write-ahead log into the snapshot on a clean stop, and starts from that snapshot', async () => {
    const stateFile = join(root, 'clean', 'world.state');
    const first = await startCli(stateFile);
    expect(first.stdout()).toContain(`State          persisted: snapshot ${stateFile}`);
    const headers = await signIn(first);
    expect((await createCustomer(first, headers, 'CLEAN1')).status).toBe(200);
    expect(statSync(`${stateFile}.wal`).size).toBeGreaterThan(0);
    expect(await kill(first, 'SIGINT')).toBe(0);
    expect(statSync(`${stateFile}.wal`).size).toBe(0);

    const second = await startCli(stateFile);
    const found = await customersStartingWith(second, await signIn(second), 'CLEAN');
    expect(found.map((c) => c.reference)).toEqual(['CLEAN1']);
    await kill(second, 'SIGTERM');
  }, 120_000);
});
