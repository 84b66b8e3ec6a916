/** Isolated tenants (docs/tenants.md): the registry, the `/admin/tenants` routes and the `/tenants/{id}` dispatch. */
export { dispatchToTenant, journalTenant } from './dispatch.ts';
export type { Tenant, TenantRegistryDeps, TenantRequest } from './registry.ts';
export { TenantRegistry } from './registry.ts';
export type { TenantDescription, TenantRoutesDeps } from './routes.ts';
export { DEFAULT_TENANT_SCALE, describeTenant, tenantRoutes } from './routes.ts';
