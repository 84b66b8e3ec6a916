/**
 * Ties the posting request schemas' zod validators to the generated types: each check fails to compile when the
 * two generators drift apart on a posting body or its answer.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { components } from '../../contracts/generated/sage200.d.ts';
import type { schemas } from '../../contracts/generated/zod.ts';

type Types = components['schemas'];
type Inferred<Name extends keyof typeof schemas> = z.infer<(typeof schemas)[Name]>;

describe('posting bodies: zod infers exactly the generated types', () => {
  it('sales', () => {
    expectTypeOf<Inferred<'SalesInvoice'>>().toEqualTypeOf<Types['SalesInvoice']>();
    expectTypeOf<Inferred<'SalesCreditNote'>>().toEqualTypeOf<Types['SalesCreditNote']>();
    expectTypeOf<Inferred<'SalesReceipt'>>().toEqualTypeOf<Types['SalesReceipt']>();
  });

  it('purchases', () => {
    expectTypeOf<Inferred<'PurchaseInvoice'>>().toEqualTypeOf<Types['PurchaseInvoice']>();
    expectTypeOf<Inferred<'PurchaseCreditNote'>>().toEqualTypeOf<Types['PurchaseCreditNote']>();
    expectTypeOf<Inferred<'PurchasePayment'>>().toEqualTypeOf<Types['PurchasePayment']>();
  });

  it('cash book and the answer', () => {
    expectTypeOf<Inferred<'BankPayment'>>().toEqualTypeOf<Types['BankPayment']>();
    expectTypeOf<Inferred<'BankReceipt'>>().toEqualTypeOf<Types['BankReceipt']>();
    expectTypeOf<Inferred<'BankTransfer'>>().toEqualTypeOf<Types['BankTransfer']>();
    expectTypeOf<Inferred<'Urn'>>().toEqualTypeOf<Types['Urn']>();
  });
});
