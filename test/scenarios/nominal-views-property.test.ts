/**
 * Property: after any burst of valid postings (random endpoints, accounts, banks, nominal and tax codes, amounts and
 * dates in open periods), `/nominal_transaction_enquiry_views` summed by nominal code and period still equals
 * `/nominal_period_value_views` to the penny, and the bank views still agree with the banks and their postings.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { expectBanksAgree, expectEnquiryMatchesPeriodValues } from '../contract/ledger-views-support.ts';
import { command, postAll } from '../contract/posting-commands.ts';
import { posterFor, postingSandbox, refsOf } from '../contract/postings-support.ts';
import { USERS } from '../support/sandbox.ts';

describe('the nominal and bank views follow any burst of postings', () => {
  it('keeps the enquiry view equal to the period values and the banks after any burst of postings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 8 }), async (commands) => {
        const app = postingSandbox(['full']);
        const poster = await posterFor(app, USERS.full);
        // Read once before the burst, so the view is built and then kept up to date entry by entry.
        await expectEnquiryMatchesPeriodValues(poster);
        await postAll(poster, refsOf(poster.company()), commands);
        await expectEnquiryMatchesPeriodValues(poster);
        await expectBanksAgree(poster);
      }),
      { numRuns: 12 },
    );
    // Each run reads the whole ledger twice: on a busy machine that takes longer than the default 30 s.
  }, 120_000);
});
