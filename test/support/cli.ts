/**
 * The `sage200-sandbox` command in process: `main()` with stdout and stderr captured. Only for arguments that
 * make it return (a bad flag, --help, a refusal at start); with good ones it would serve until SIGINT.
 */
import { vi } from 'vitest';
import { main } from '../../mock-server/cli.ts';

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
