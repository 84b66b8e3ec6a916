/**
 * Ties the zod schemas to the openapi-typescript types: each check fails to compile when the two drift.
 * Both come from contracts/sage200.openapi.yaml, by different generators; this is where they must agree.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { components } from './generated/sage200.d.ts';
import type { schemas } from './generated/zod.ts';

/** `T` with every intersection merged into one object type, at every depth; optional fields stay optional. */
type Flat<T> = T extends readonly (infer Item)[]
  ? Flat<Item>[]
  : T extends object
    ? { [K in keyof T]: Flat<T[K]> }
    : T;
// A record over its fields (`Customer` is `WithRequired<CustomerFields, 'name' | 'reference'>`) is an intersection
// in the generated types and one object in zod's; both sides are flattened before they are compared.
type Inferred<Name extends keyof typeof schemas> = Flat<z.infer<(typeof schemas)[Name]>>;
type Types = { [Name in keyof components['schemas']]: Flat<components['schemas'][Name]> };

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
    expectTypeOf<Inferred<'CustomerFields'>>().toEqualTypeOf<Types['CustomerFields']>();
    expectTypeOf<Inferred<'Customer'>>().toEqualTypeOf<Types['Customer']>();
    expectTypeOf<Inferred<'SupplierFields'>>().toEqualTypeOf<Types['SupplierFields']>();
    expectTypeOf<Inferred<'Supplier'>>().toEqualTypeOf<Types['Supplier']>();
    expectTypeOf<Inferred<'SalesPostedTransaction'>>().toEqualTypeOf<Types['SalesPostedTransaction']>();
    expectTypeOf<Inferred<'PurchasePostedTransaction'>>().toEqualTypeOf<Types['PurchasePostedTransaction']>();
    expectTypeOf<Inferred<'BankFields'>>().toEqualTypeOf<Types['BankFields']>();
    expectTypeOf<Inferred<'Bank'>>().toEqualTypeOf<Types['Bank']>();
    expectTypeOf<Inferred<'BankPostedTransaction'>>().toEqualTypeOf<Types['BankPostedTransaction']>();
    expectTypeOf<Inferred<'CustomerContact'>>().toEqualTypeOf<Types['CustomerContact']>();
    expectTypeOf<Inferred<'SupplierContact'>>().toEqualTypeOf<Types['SupplierContact']>();
    expectTypeOf<Inferred<'CustomerDeliveryAddressFields'>>().toEqualTypeOf<
      Types['CustomerDeliveryAddressFields']
    >();
    expectTypeOf<Inferred<'CustomerDeliveryAddress'>>().toEqualTypeOf<Types['CustomerDeliveryAddress']>();
  });

  it('nominal and financials', () => {
    expectTypeOf<Inferred<'NominalCodeFields'>>().toEqualTypeOf<Types['NominalCodeFields']>();
    expectTypeOf<Inferred<'NominalCode'>>().toEqualTypeOf<Types['NominalCode']>();
    expectTypeOf<Inferred<'NominalReportCategory'>>().toEqualTypeOf<Types['NominalReportCategory']>();
    expectTypeOf<Inferred<'FinancialYearPeriodView'>>().toEqualTypeOf<Types['FinancialYearPeriodView']>();
    expectTypeOf<Inferred<'NominalPeriodValueView'>>().toEqualTypeOf<Types['NominalPeriodValueView']>();
    expectTypeOf<Inferred<'TaxCode'>>().toEqualTypeOf<Types['TaxCode']>();
    expectTypeOf<Inferred<'Currency'>>().toEqualTypeOf<Types['Currency']>();
    expectTypeOf<Inferred<'CountryCode'>>().toEqualTypeOf<Types['CountryCode']>();
    expectTypeOf<Inferred<'DepartmentFields'>>().toEqualTypeOf<Types['DepartmentFields']>();
    expectTypeOf<Inferred<'Department'>>().toEqualTypeOf<Types['Department']>();
    expectTypeOf<Inferred<'CostCentreFields'>>().toEqualTypeOf<Types['CostCentreFields']>();
    expectTypeOf<Inferred<'CostCentre'>>().toEqualTypeOf<Types['CostCentre']>();
    expectTypeOf<Inferred<'DepartmentCreateRequest'>>().toEqualTypeOf<Types['DepartmentCreateRequest']>();
    expectTypeOf<Inferred<'CostCentreCreateRequest'>>().toEqualTypeOf<Types['CostCentreCreateRequest']>();
  });

  it('stock', () => {
    expectTypeOf<Inferred<'ProductGroup'>>().toEqualTypeOf<Types['ProductGroup']>();
    expectTypeOf<Inferred<'ProductFields'>>().toEqualTypeOf<Types['ProductFields']>();
    expectTypeOf<Inferred<'Product'>>().toEqualTypeOf<Types['Product']>();
    expectTypeOf<Inferred<'WarehouseFields'>>().toEqualTypeOf<Types['WarehouseFields']>();
    expectTypeOf<Inferred<'Warehouse'>>().toEqualTypeOf<Types['Warehouse']>();
  });

  it('orders', () => {
    expectTypeOf<Inferred<'SopOrderLineFields'>>().toEqualTypeOf<Types['SopOrderLineFields']>();
    expectTypeOf<Inferred<'SopOrderLine'>>().toEqualTypeOf<Types['SopOrderLine']>();
    expectTypeOf<Inferred<'SopOrderFields'>>().toEqualTypeOf<Types['SopOrderFields']>();
    expectTypeOf<Inferred<'SopOrder'>>().toEqualTypeOf<Types['SopOrder']>();
    expectTypeOf<Inferred<'SopOrdersNewRequest'>>().toEqualTypeOf<Types['SopOrdersNewRequest']>();
    expectTypeOf<Inferred<'PopOrderLineFields'>>().toEqualTypeOf<Types['PopOrderLineFields']>();
    expectTypeOf<Inferred<'PopOrderLine'>>().toEqualTypeOf<Types['PopOrderLine']>();
    expectTypeOf<Inferred<'PopOrderFields'>>().toEqualTypeOf<Types['PopOrderFields']>();
    expectTypeOf<Inferred<'PopOrder'>>().toEqualTypeOf<Types['PopOrder']>();
    expectTypeOf<Inferred<'PopOrdersNewRequest'>>().toEqualTypeOf<Types['PopOrdersNewRequest']>();
  });

  it('postings', () => {
    expectTypeOf<Inferred<'SalesInvoice'>>().toEqualTypeOf<Types['SalesInvoice']>();
    expectTypeOf<Inferred<'SalesCreditNote'>>().toEqualTypeOf<Types['SalesCreditNote']>();
    expectTypeOf<Inferred<'SalesReceipt'>>().toEqualTypeOf<Types['SalesReceipt']>();
    expectTypeOf<Inferred<'PurchaseInvoice'>>().toEqualTypeOf<Types['PurchaseInvoice']>();
    expectTypeOf<Inferred<'PurchaseCreditNote'>>().toEqualTypeOf<Types['PurchaseCreditNote']>();
    expectTypeOf<Inferred<'PurchasePayment'>>().toEqualTypeOf<Types['PurchasePayment']>();
    expectTypeOf<Inferred<'BankPayment'>>().toEqualTypeOf<Types['BankPayment']>();
    expectTypeOf<Inferred<'BankReceipt'>>().toEqualTypeOf<Types['BankReceipt']>();
    expectTypeOf<Inferred<'BankTransfer'>>().toEqualTypeOf<Types['BankTransfer']>();
    expectTypeOf<Inferred<'Urn'>>().toEqualTypeOf<Types['Urn']>();
  });

  it('errors', () => {
    expectTypeOf<Inferred<'ApplicationError'>>().toEqualTypeOf<Types['ApplicationError']>();
    expectTypeOf<Inferred<'GatewayError'>>().toEqualTypeOf<Types['GatewayError']>();
  });
});
