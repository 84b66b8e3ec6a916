import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./release.child.ts', import.meta.url));
const run = promisify(execFile);

describe('DELETE /admin/tenants/{id}', () => {
  it("releases the tenant's world and runtime to the garbage collector, and keeps the others", async () => {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    });
    expect(JSON.parse(stdout)).toEqual({
      deleted: { world: false, runtime: false },
      kept: { world: true, runtime: true },
    });
  });
});
