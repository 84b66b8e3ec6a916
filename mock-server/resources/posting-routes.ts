/**
 * The posting endpoints: POST /sales_invoices, /sales_credit_notes, /sales_receipts, /sales_payments,
 * /purchase_invoices, /purchase_credit_notes, /purchase_payments, /purchase_receipts, /bank_payment, /bank_receipt and
 * /bank_transfer, and POST /sales_allocations. Each runs the gateway, the role's module, the trial-site refusal and
 * the body checks, then posts (or allocates) through the ledger engine and commits one change set. Sage's published
 * OpenAPI files (sales.json, purchases.json, cash-book.json); docs/postings.md.
 */
import { loadCatalog } from '../../contracts/index.ts';
import { allocate, LedgerBooks, POSTINGS, type PostingPath, postDraft } from '../ledger/index.ts';
import { type ApiRoutes, JSON_TYPE } from './route-helpers.ts';
import { readJsonObject, rejectTrialWrites } from './write-guards.ts';

const DAY_MS = 86_400_000;

/** Sage's `user_name` on posted transactions holds 20 characters. */
const USER_NAME_LENGTH = 20;

export function registerPostingRoutes({ api, deps, gate }: ApiRoutes): void {
  for (const path of Object.keys(POSTINGS) as PostingPath[]) {
    const posting = POSTINGS[path];
    api.post(`/${path}`, gate(loadCatalog().pathModules(`/${path}`)), rejectTrialWrites(), async (c) => {
      const body = await readJsonObject(c);
      // From here on nothing awaits: the books are read, the posting built and committed in one turn, so no
      // concurrent write can slip in between.
      const companyStore = c.get('company');
      const books = new LedgerBooks(companyStore);
      const now = deps.clock.now();
      const draft = posting.draft(body, books, { today: Math.floor(now / DAY_MS) });
      const result = postDraft(books, draft, {
        now,
        userName: c.get('user').email.slice(0, USER_NAME_LENGTH),
        ids: { nextId: () => companyStore.reserveId(), nextUrn: () => companyStore.reserveUrn() },
      });
      deps.store().commit(companyStore, result.changes);
      return c.body(JSON.stringify(result.body), 200, JSON_TYPE);
    });
  }

  const allocations = '/sales_allocations';
  api.post(allocations, gate(loadCatalog().pathModules(allocations)), rejectTrialWrites(), async (c) => {
    const body = await readJsonObject(c);
    // As for postings: checked, built and committed without awaiting in between.
    const companyStore = c.get('company');
    const now = deps.clock.now();
    const result = allocate(body, new LedgerBooks(companyStore), {
      today: Math.floor(now / DAY_MS),
      now,
      userName: c.get('user').email.slice(0, USER_NAME_LENGTH),
      nextId: () => companyStore.reserveId(),
    });
    deps.store().commit(companyStore, result.changes);
    return c.body(JSON.stringify(result.body), 200, JSON_TYPE);
  });
}
