/**
 * Run by release.test.ts as `node --expose-gc --import tsx release.child.ts`: creates two tenants, uses both
 * (tokens, API calls, a fault, the journal), deletes one, collects garbage and prints which of their worlds
 * the process still holds.
 */
import { setImmediate as tick } from 'node:timers/promises';
import { testSandbox } from '../support/sandbox.ts';
import { adminCall, createTenant, tenantCaller } from './support.ts';

const exposed = (globalThis as { gc?: () => void }).gc;
if (!exposed) throw new Error('run with node --expose-gc');
const gc: () => void = exposed;

const app = testSandbox();

async function usedTenant(): Promise<{ id: string; world: WeakRef<object>; runtime: WeakRef<object> }> {
  const tenant = await createTenant(app);
  await adminCall(app, tenant.id, 'POST', '/faults', { path: '/suppliers', status: 503 });
  const caller = await tenantCaller(app, tenant);
  await caller.send('GET', '/customers?$top=5');
  await caller.send('GET', '/suppliers');
  await caller.send('POST', '/customers', { reference: 'GONE01', name: 'Soon Gone Ltd' });
  const { runtime } = app.tenants.require(tenant.id);
  return { id: tenant.id, world: new WeakRef(runtime.store.world), runtime: new WeakRef(runtime) };
}

const deleted = await usedTenant();
const kept = await usedTenant();
await adminCall(app, 'default', 'DELETE', `/tenants/${deleted.id}`);
for (let i = 0; i < 5; i++) {
  // A WeakRef's target stays alive to the end of the job that read it: collect between turns of the loop.
  await tick();
  gc();
}
process.stdout.write(
  JSON.stringify({
    deleted: { world: deleted.world.deref() !== undefined, runtime: deleted.runtime.deref() !== undefined },
    kept: { world: kept.world.deref() !== undefined, runtime: kept.runtime.deref() !== undefined },
  }),
);
