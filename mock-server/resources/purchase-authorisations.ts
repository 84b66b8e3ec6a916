/**
 * `PUT /purchase_authorisations/{Id}` (purchases.json): authorises a purchase invoice or credit note waiting for
 * authorisation. The gateway, the role's module and the trial refusal come first, then the body: Sage's
 * `purchase_authorisation` schema (its read-only fields may only be sent back as read, `oplock` included), with
 * `nominal_analysis_items` required. The posting engine's change set is committed in one step, so a refused request
 * changes nothing. The reads are the contract's generic `{Id}` route over the derived view
 * (mock-server/views/purchase-authorisations.ts).
 */
import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import { type AuthorisationLine, authorisePurchase, LedgerBooks } from '../ledger/index.ts';
import { writeValidator } from '../validation/index.ts';
import { AUTHORISED, oplockOf, purchaseAuthorisation } from '../views/purchase-authorisations.ts';
import { type ApiRoutes, JSON_TYPE, notFound, parseId } from './route-helpers.ts';
import { readJsonObject, rejectTrialWrites } from './write-guards.ts';

/** Sage's `user_name` on posted transactions holds 20 characters. */
const USER_NAME_LENGTH = 20;

export function registerPurchaseAuthorisationRoutes({ api, deps, gate }: ApiRoutes): void {
  const definition = loadCatalog().resource('purchase_authorisations');
  api.put('/purchase_authorisations/:Id', gate(definition.modules), rejectTrialWrites(), async (c) => {
    const body = await readJsonObject(c);
    const raw = c.req.param('Id') ?? '';
    const id = parseId(raw, definition);
    // From here on nothing awaits: read, check, post and commit in one turn, so no other write slips in between.
    const company = c.get('company');
    const transaction = company.table('purchase_posted_transactions').get(id);
    if (!transaction) throw notFound(definition, raw);
    const authorisation = company
      .table('purchase_transaction_authorisations')
      .lookup('purchase_posted_transaction_id', id)?.[0];
    const current = company.table('purchase_authorisations').get(id);
    if (!current || !authorisation) {
      throw badRequest(
        authorisation?.authorisation_type === AUTHORISED
          ? `The purchase transaction ${raw} has already been authorised.`
          : `The purchase transaction ${raw} does not need authorisation: it is no invoice or credit note above the authorisation threshold.`,
      );
    }
    if (body.oplock !== undefined && body.oplock !== current.oplock) {
      throw badRequest(
        `The oplock '${String(body.oplock)}' is not the transaction's current one ('${oplockOf(transaction)}'): it has changed since it was read.`,
      );
    }
    writeValidator().checkRecord(definition.schema, body, { mode: 'update', current });
    const lines = body.nominal_analysis_items as AuthorisationLine[] | undefined | null;
    if (lines === undefined || lines === null)
      throw badRequest('The nominal_analysis_items field is required.');

    const books = new LedgerBooks(company);
    const result = authorisePurchase(books, transaction, authorisation, lines, {
      now: deps.clock.now(),
      userName: c.get('user').email.slice(0, USER_NAME_LENGTH),
      ids: { nextId: () => company.reserveId(), nextUrn: () => company.reserveUrn() },
    });
    await deps.store().commit(company, result.changes);
    const nominalCodes = company.table('nominal_codes').all();
    return c.body(JSON.stringify(purchaseAuthorisation(result.transaction, nominalCodes)), 200, JSON_TYPE);
  });
}
