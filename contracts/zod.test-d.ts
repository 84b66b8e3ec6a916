/**
 * Ties the zod schemas to the openapi-typescript types: each check fails to compile when the two drift.
 * Both come from contracts/sage200.openapi.yaml, by different generators; this is where they must agree.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { components } from './generated/sage200.d.ts';
import type { schemas } from './generated/zod.ts';

type Types = components['schemas'];
type Inferred<Name extends keyof typeof schemas> = z.infer<(typeof schemas)[Name]>;

describe('zod schemas infer exactly the generated types', () => {
  it('covers the same schema names', () => {
    expectTypeOf<keyof typeof schemas>().toEqualTypeOf<keyof Types>();
  });

  it('general', () => {
    expectTypeOf<Inferred<'Site'>>().toEqualTypeOf<Types['Site']>();
    expectTypeOf<Inferred<'CompanyDetails'>>().toEqualTypeOf<Types['CompanyDetails']>();
    expectTypeOf<Inferred<'Licence'>>().toEqualTypeOf<Types['Licence']>();
    expectTypeOf<Inferred<'CurrentUser'>>().toEqualTypeOf<Types['CurrentUser']>();
  });

  it('ledgers', () => {
    expectTypeOf<Inferred<'Customer'>>().toEqualTypeOf<Types['Customer']>();
    expectTypeOf<Inferred<'Supplier'>>().toEqualTypeOf<Types['Supplier']>();
    expectTypeOf<Inferred<'SalesPostedTransaction'>>().toEqualTypeOf<Types['SalesPostedTransaction']>();
    expectTypeOf<Inferred<'PurchasePostedTransaction'>>().toEqualTypeOf<Types['PurchasePostedTransaction']>();
    expectTypeOf<Inferred<'Bank'>>().toEqualTypeOf<Types['Bank']>();
    expectTypeOf<Inferred<'BankPostedTransaction'>>().toEqualTypeOf<Types['BankPostedTransaction']>();
  });

  it('nominal and financials', () => {
    expectTypeOf<Inferred<'NominalCode'>>().toEqualTypeOf<Types['NominalCode']>();
    expectTypeOf<Inferred<'NominalReportCategory'>>().toEqualTypeOf<Types['NominalReportCategory']>();
    expectTypeOf<Inferred<'FinancialYearPeriodView'>>().toEqualTypeOf<Types['FinancialYearPeriodView']>();
    expectTypeOf<Inferred<'NominalPeriodValueView'>>().toEqualTypeOf<Types['NominalPeriodValueView']>();
    expectTypeOf<Inferred<'TaxCode'>>().toEqualTypeOf<Types['TaxCode']>();
    expectTypeOf<Inferred<'Currency'>>().toEqualTypeOf<Types['Currency']>();
    expectTypeOf<Inferred<'CountryCode'>>().toEqualTypeOf<Types['CountryCode']>();
    expectTypeOf<Inferred<'Department'>>().toEqualTypeOf<Types['Department']>();
    expectTypeOf<Inferred<'CostCentre'>>().toEqualTypeOf<Types['CostCentre']>();
  });

  it('stock', () => {
    expectTypeOf<Inferred<'ProductGroup'>>().toEqualTypeOf<Types['ProductGroup']>();
    expectTypeOf<Inferred<'Product'>>().toEqualTypeOf<Types['Product']>();
  });

  it('errors', () => {
    expectTypeOf<Inferred<'ApplicationError'>>().toEqualTypeOf<Types['ApplicationError']>();
    expectTypeOf<Inferred<'GatewayError'>>().toEqualTypeOf<Types['GatewayError']>();
  });
});
