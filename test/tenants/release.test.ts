/**
 * Deleting a tenant lets the garbage collector take its world and runtime. Checked in process with WeakRefs and a
 * forced collection, which the V8 flag --expose-gc makes available once set (as jest's leak detector does).
 */
import { setImmediate as tick } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { testSandbox } from '../support/sandbox.ts';
import { adminCall, createTenant, tenantCaller } from './support.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('DELETE /admin/tenants/{id}', () => {
  it("releases the tenant's world and runtime to the garbage collector, and keeps the others", async () => {
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
    expect({
      deleted: { world: deleted.world.deref() !== undefined, runtime: deleted.runtime.deref() !== undefined },
      kept: { world: kept.world.deref() !== undefined, runtime: kept.runtime.deref() !== undefined },
    }).toEqual({
      deleted: { world: false, runtime: false },
      kept: { world: true, runtime: true },
    });
  });
});
