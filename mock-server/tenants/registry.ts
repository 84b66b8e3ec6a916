/**
 * The live tenants of one sandbox (docs/tenants.md): `default`, served at the root, and those `POST /admin/tenants`
 * created, each a complete runtime served under `/tenants/{id}`. Their number is capped so memory stays bounded;
 * deleting one drops the registry's only reference to its world.
 */
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { AdminError, echoed } from '../errors.ts';
import type { ClientCredentials } from '../oauth/index.ts';
import { DEFAULT_TENANT, type SandboxRuntime } from '../runtime.ts';
import type { LoadedScenario } from '../scenarios/index.ts';
import type { Scale } from '../world/model.ts';

/** A tenant: its state and the Hono app that serves it (paths as seen below its prefix). */
export interface Tenant {
  readonly runtime: SandboxRuntime;
  readonly app: Hono;
  /** When the tenant was created, wall-clock time (each tenant's sandbox clock is its own). */
  readonly created: string;
}

/** What `POST /admin/tenants` asks for, with the defaults filled in. */
export interface TenantRequest {
  seed: number;
  scale: Scale;
  /**
   * The world's as-of date, `YYYY-MM-DD` (mock-server/world/calendar.ts), checked; undefined: the server's (its
   * `--as-of`, else the tenant clock's date when it is created).
   */
  asOf: string | undefined;
  /** Redirect URIs registered for the tenant's clients besides the built-in ones and the sandbox's own. */
  redirectUris: readonly string[];
  /** Scenarios applied to the tenant's world (docs/scenarios.md), already read and checked. */
  scenarios: readonly LoadedScenario[];
}

export interface TenantRegistryDeps {
  /** The default tenant; never deleted, not counted against `max`. */
  root: Tenant;
  /** Created tenants alive at once. */
  max: number;
  /** Builds a tenant's runtime and app. */
  build: (id: string, credentials: ClientCredentials, request: TenantRequest) => Tenant;
}

export class TenantRegistry {
  readonly #created = new Map<string, Tenant>();

  constructor(private readonly deps: TenantRegistryDeps) {}

  get max(): number {
    return this.deps.max;
  }

  /** Created tenants alive now (`default` not counted). */
  get size(): number {
    return this.#created.size;
  }

  get root(): Tenant {
    return this.deps.root;
  }

  /** `default` first, then the created tenants in the order they were made. */
  list(): Tenant[] {
    return [this.deps.root, ...this.#created.values()];
  }

  /** Any tenant, `default` included. */
  get(id: string): Tenant | undefined {
    return id === DEFAULT_TENANT ? this.deps.root : this.#created.get(id);
  }

  /** Any tenant, or a 404 AdminError `unknown_tenant`. */
  require(id: string): Tenant {
    const tenant = this.get(id);
    if (!tenant) throw unknownTenant(id);
    return tenant;
  }

  /** A tenant served under `/tenants/{id}`: a created one (the default tenant lives at the root). */
  served(id: string): Tenant {
    const tenant = this.#created.get(id);
    if (tenant) return tenant;
    if (id === DEFAULT_TENANT) {
      throw new AdminError(
        404,
        'unknown_tenant',
        `the ${DEFAULT_TENANT} tenant is served at the root, not under /tenants/${DEFAULT_TENANT}`,
      );
    }
    throw unknownTenant(id);
  }

  create(request: TenantRequest): Tenant {
    if (this.#created.size >= this.deps.max) {
      throw new AdminError(
        409,
        'too_many_tenants',
        `this sandbox already holds ${this.#created.size} tenants, its most (--max-tenants ${this.deps.max}); DELETE /admin/tenants/{id} one first`,
      );
    }
    const id = this.#newId();
    const tenant = this.deps.build(id, credentialsFor(id), request);
    this.#created.set(id, tenant);
    return tenant;
  }

  /** Drops a created tenant; its URLs answer 404 `unknown_tenant` from now on. */
  delete(id: string): Tenant {
    if (id === DEFAULT_TENANT) {
      throw new AdminError(
        409,
        'default_tenant',
        `the ${DEFAULT_TENANT} tenant cannot be deleted; POST /admin/reset gives it a clean slate`,
      );
    }
    const tenant = this.#created.get(id);
    if (!tenant) throw unknownTenant(id);
    this.#created.delete(id);
    tenant.runtime.close();
    return tenant;
  }

  #newId(): string {
    for (;;) {
      const id = `t-${randomBytes(4).toString('hex')}`;
      if (!this.#created.has(id)) return id;
    }
  }
}

/** A tenant's own clients: ids that name it, and a secret nobody else knows. */
function credentialsFor(id: string): ClientCredentials {
  return {
    confidentialClientId: `sandbox-client-${id}`,
    confidentialClientSecret: randomBytes(24).toString('base64url'),
    publicClientId: `sandbox-public-client-${id}`,
  };
}

function unknownTenant(id: string): AdminError {
  return new AdminError(
    404,
    'unknown_tenant',
    `no tenant ${echoed(id)} in this sandbox (deleted, or never created); GET /admin/tenants lists them`,
  );
}
