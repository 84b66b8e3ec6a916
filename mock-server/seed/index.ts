/** The seed generator: builds the deterministic world (users, sites, companies and their books) from a seed and scale. */

export type { BuildWorldOptions, GeneratedCompanyPlan, LazyWorldHooks } from './build.ts';
export {
  buildGeneratedCompany,
  buildWorld,
  buildWorldLazily,
  DEFAULT_SCALE,
  DEFAULT_SEED,
  GROUP_USER,
  SANDBOX_IMBALANCE,
  SEED_USERS,
  serializeWorld,
  VOLUMES,
} from './build.ts';
export { BANK_TRANSACTION_TYPES, TRADER_TRANSACTION_TYPES } from './posting.ts';
export type { Volumes } from './trading.ts';
