/**
 * `POST /sales_invoices_new`, `/sales_credit_notes_new`, `/purchase_invoices_new` and `/purchase_credit_notes_new`
 * (Sage's sales.json and purchases.json: "Returns a sales invoice with all the default values for a customer. The
 * API endpoint does not persist the sales invoice."): the document its posting endpoint takes, filled with the
 * account's defaults as the posting would apply them (mock-server/ledger/requests.ts). Nothing is saved, so trial
 * sites may call them; the role's module still applies.
 */
import { loadCatalog } from '../../contracts/index.ts';
import { LedgerBooks } from '../ledger/index.ts';
import type { TableName } from '../store/index.ts';
import { type RecordWrite, writeValidator } from '../validation/index.ts';
import { dayOf } from '../world/calendar.ts';
import { blankFromSchema } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import { withDefaults } from './records.ts';
import { type ApiRoutes, JSON_TYPE } from './route-helpers.ts';
import { requireReference, type WriteContext } from './writable.ts';
import { writeContexts } from './write-context.ts';
import { readJsonObject } from './write-guards.ts';

interface DocumentTemplate {
  /** The posting the template is for, without its leading slash. */
  posting: string;
  schema: string;
  requestSchema: string;
  traders: TableName;
  traderKey: 'customer_id' | 'supplier_id';
  traderNoun: 'customer' | 'supplier';
  /** An invoice falls due after the account's payment terms; a credit note has no due date. */
  invoice: boolean;
}

const TEMPLATES: readonly DocumentTemplate[] = [
  ['sales_invoices', 'SalesInvoice', 'SalesInvoiceNewRequest', true],
  ['sales_credit_notes', 'SalesCreditNote', 'SalesCreditNoteNewRequest', false],
  ['purchase_invoices', 'PurchaseInvoice', 'PurchaseInvoiceNewRequest', true],
  ['purchase_credit_notes', 'PurchaseCreditNote', 'PurchaseCreditNoteNewRequest', false],
].map(([posting, schema, requestSchema, invoice]) => {
  const sales = String(posting).startsWith('sales');
  return {
    posting: String(posting),
    schema: String(schema),
    requestSchema: String(requestSchema),
    traders: sales ? 'customers' : 'suppliers',
    traderKey: sales ? 'customer_id' : 'supplier_id',
    traderNoun: sales ? 'customer' : 'supplier',
    invoice: invoice === true,
  };
});

const DAY_MS = 86_400_000;
const addDays = (date: string, days: number): string =>
  `${new Date(Date.parse(`${date}Z`) + days * DAY_MS).toISOString().slice(0, 10)}T00:00:00`;
const numberOf = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** The document for `account`: today's date, its terms, rate and default tax and nominal codes, all values 0. */
function documentFor(template: DocumentTemplate, account: SageRecord, ctx: WriteContext): SageRecord {
  const schema = ctx.schema(template.schema);
  const doc = withDefaults(blankFromSchema(schema), schema);
  doc[template.traderKey] = account.id ?? null;
  doc.transaction_date = ctx.today;
  if (Object.hasOwn(doc, 'due_date')) {
    doc.due_date = template.invoice ? addDays(ctx.today, numberOf(account.payment_terms_days)) : null;
  }
  const currency =
    typeof account.currency_id === 'number'
      ? ctx.company.table('currencies').get(account.currency_id)
      : undefined;
  // Today's rate: its period's for a currency on period rates, as a posting dated today takes it.
  doc.exchange_rate =
    currency && currency.is_base_currency !== true
      ? new LedgerBooks(ctx.company).currencyRate(currency, dayOf(ctx.today.slice(0, 10))).rate
      : 1;
  doc.discount_percent = numberOf(account.early_settlement_discount_percent);
  doc.discount_days = numberOf(account.early_settlement_discount_days);
  const taxItem = schema.properties?.tax_analysis_items?.items;
  doc.tax_analysis_items =
    typeof account.default_tax_code_id === 'number' && taxItem
      ? [{ ...blankFromSchema(taxItem), id: account.default_tax_code_id }]
      : [];
  const nominalItem = schema.properties?.nominal_analysis_items?.items;
  const reference = String(account.default_nominal_code_reference ?? '');
  doc.nominal_analysis_items =
    reference !== '' && nominalItem
      ? [
          {
            ...blankFromSchema(nominalItem),
            code: reference,
            cost_centre: String(account.default_nominal_code_cost_centre ?? ''),
            department: String(account.default_nominal_code_department ?? ''),
          },
        ]
      : [];
  return doc;
}

export function registerDocumentTemplateRoutes({ api, deps, gate }: ApiRoutes): void {
  const context = writeContexts(deps);
  const checked: RecordWrite = { mode: 'create', current: {} };
  for (const template of TEMPLATES) {
    const path = `/${template.posting}_new`;
    api.post(path, gate(loadCatalog().pathModules(path)), async (c) => {
      const request = await readJsonObject(c);
      writeValidator().checkRecord(template.requestSchema, request, checked);
      const ctx = context(c);
      const account = requireReference(
        ctx,
        request as SageRecord,
        template.traderKey,
        template.traders,
        template.traderNoun,
      );
      // The request schema requires the id, so the account is there once the check has passed.
      if (!account) throw new Error(`${path}: ${template.traderKey} passed the check but names nothing`);
      return c.body(JSON.stringify(documentFor(template, account, ctx)), 200, JSON_TYPE);
    });
  }
}
