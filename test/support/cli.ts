/**
 * The `sage200-sandbox` command in tests. `runCli` calls `main()` in process with stdout and stderr captured, only
 * for arguments that make it return (a bad flag, --help, a refusal at start); with good ones it would serve until
 * SIGINT. `SANDBOX_CLI` is Node's arguments that run the command as a process from the TypeScript sources, as
 * `npm start` does, so the suite needs no build; the installed command (compiled, from dist/) is tested by
 * `npm run test:package`.
 */
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { main } from '../../mock-server/cli.ts';

export const SANDBOX_CLI: readonly string[] = [
  '--import',
  'tsx',
  fileURLToPath(new URL('../../mock-server/cli.ts', import.meta.url)),
];

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const stdout = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
  const stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
  try {
    const code = await main(argv);
    return { code, stdout: stdout.mock.calls.join(''), stderr: stderr.mock.calls.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    vi.unstubAllEnvs();
  }
}
