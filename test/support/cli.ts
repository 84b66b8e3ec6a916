/**
 * Node's arguments that run the `sage200-sandbox` command from the TypeScript sources, as `npm start` does, so the
 * suite needs no build. The installed command (compiled, from dist/) is tested by `npm run test:package`.
 */
import { fileURLToPath } from 'node:url';

export const SANDBOX_CLI: readonly string[] = [
  '--import',
  'tsx',
  fileURLToPath(new URL('../../mock-server/cli.ts', import.meta.url)),
];
