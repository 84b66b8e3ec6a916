/**
 * Companies whose records are filled in on first use: a world read from the world cache reads a company's records
 * from disk, and a world built lazily builds a company, only once something reads or writes one of its fields.
 */
import type { CompanyWorld } from './model.ts';

/** Every field of a company but its id and name, in the order a built company has them. */
export const DEFERRABLE_FIELDS = [
  'company_details',
  'licence',
  'collections',
  'nominal_entries',
  'ledger_imbalance',
  'next_urn',
  'next_id',
] as const;

export type DeferrableField = (typeof DEFERRABLE_FIELDS)[number];

/** How the deferred fields of one company are filled in. */
export interface DeferredFields<F extends DeferrableField> {
  readonly company: CompanyWorld;
  /** Whether the fields have their values yet. */
  readonly settled: boolean;
  /** Gives the fields their values (a second call changes nothing). */
  settle(values: Pick<CompanyWorld, F>): void;
}

/**
 * Makes `fields` of `company` accessors that first call `load`, which must `settle` them; once settled they are
 * plain data properties again, in the same place (so the company serializes as one built in full). A frozen
 * company keeps its accessors, which then read and write the settled values.
 */
export function deferFields<F extends DeferrableField>(
  company: CompanyWorld,
  fields: readonly F[],
  load: () => void,
): DeferredFields<F> {
  let values: Pick<CompanyWorld, F> | undefined;
  const loaded = (): Pick<CompanyWorld, F> => {
    if (!values) load();
    if (!values) throw new Error(`company ${company.company_id}: its records were not filled in`);
    return values;
  };
  const fill = (): void => {
    if (!Object.isExtensible(company) || Object.isFrozen(company)) return;
    for (const field of fields) {
      Object.defineProperty(company, field, {
        value: values![field],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  };
  for (const field of fields) {
    Object.defineProperty(company, field, {
      enumerable: true,
      configurable: true,
      get: () => loaded()[field],
      set: (value: CompanyWorld[F]) => {
        loaded()[field] = value;
        fill();
      },
    });
  }
  return {
    company,
    get settled() {
      return values !== undefined;
    },
    settle(settled) {
      if (values) return;
      values = {} as Pick<CompanyWorld, F>;
      for (const field of fields) values[field] = settled[field];
      fill();
    },
  };
}

/** A company known by its id and name, whose other fields come from `load` (which settles them) on first use. */
export function deferredCompany(
  company_id: number,
  company_name: string,
  load: () => void,
): DeferredFields<DeferrableField> {
  return deferFields({ company_id, company_name } as CompanyWorld, DEFERRABLE_FIELDS, load);
}
