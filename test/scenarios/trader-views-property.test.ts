/**
 * Property: after any burst of valid sales and purchase postings (invoices, credit notes, receipts and payments on
 * random accounts, amounts and open dates), the trader ledger views still agree with the ledger, read through the
 * API: one transaction view per posted transaction, aged balances summing to each account's balance for every
 * ageing type, period and year values summing to the posted totals, and account views carrying the balances.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { openDate } from '../contract/posting-commands.ts';
import { posterFor, postingSandbox, type Refs, refsOf } from '../contract/postings-support.ts';
import { expectTraderViewsAgree } from '../contract/trader-views-support.ts';
import { USERS } from '../support/sandbox.ts';

const amount = fc.integer({ min: 1, max: 500_000 });

const command = fc.oneof(
  fc.record({
    type: fc.constantFrom(
      'sales_invoices',
      'sales_credit_notes',
      'purchase_invoices',
      'purchase_credit_notes',
    ),
    account: fc.nat(),
    date: openDate,
    goods: amount,
    standardRate: fc.boolean(),
  }),
  fc.record({
    type: fc.constantFrom('sales_receipts', 'purchase_payments'),
    account: fc.nat(),
    date: openDate,
    value: amount,
  }),
);

type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

const pounds = (pence: number): number => pence / 100;

function requestOf(cmd: Command, refs: Refs): { path: string; body: Record<string, unknown> } {
  const sales = cmd.type.startsWith('sales');
  const accounts = sales ? refs.customers : refs.suppliers;
  const account = { [sales ? 'customer_id' : 'supplier_id']: accounts[cmd.account % accounts.length]!.id };
  if ('value' in cmd) {
    return {
      path: `/${cmd.type}`,
      body: {
        ...account,
        bank_id: refs.bank('CURRENT').id,
        cheque_value: pounds(cmd.value),
        transaction_date: cmd.date,
      },
    };
  }
  const tax = cmd.standardRate ? Math.round(cmd.goods / 5) : 0;
  return {
    path: `/${cmd.type}`,
    body: {
      ...account,
      transaction_date: cmd.date,
      reference: 'BURST',
      document_goods_value: pounds(cmd.goods),
      document_tax_value: pounds(tax),
      tax_analysis_items: [
        {
          id: refs.taxCode(cmd.standardRate ? 1 : 2).id,
          goods_amount: pounds(cmd.goods),
          tax_amount: pounds(tax),
        },
      ],
      nominal_analysis_items: [{ code: sales ? '4000' : '5000', value: pounds(cmd.goods) }],
    },
  };
}

describe('random bursts of trader postings keep the trader ledger views agreeing with the ledger', () => {
  it.each([
    ['a full company', USERS.full, 'full', 8],
    ['the sandbox company, whose books are off by design', USERS.sandbox, 'sandbox', 3],
  ] as const)('on %s', async (_name, email, kind, numRuns) => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 10 }), async (commands) => {
        const app = postingSandbox([kind]);
        const poster = await posterFor(app, email);
        const refs = refsOf(poster.company());
        // Read the views before the burst too, so a view cached across writes would be caught.
        await expectTraderViewsAgree(poster);
        for (const cmd of commands) {
          const { path, body } = requestOf(cmd, refs);
          const response = await poster.post(path, body);
          if (response.status !== 200) {
            throw new Error(
              `${path} ${JSON.stringify(body)}: ${response.status} ${JSON.stringify(response.body)}`,
            );
          }
        }
        await expectTraderViewsAgree(poster);
      }),
      { numRuns },
    );
  });
});
