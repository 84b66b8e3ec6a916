/**
 * `/nominal_transaction_enquiry_views`: the nominal ledger row by row, one row per nominal entry the posting engine
 * records (mock-server/ledger/engine.ts), with the analysis of the posting that made it, read from the posted
 * transactions of its URN. Entries are only ever appended, so the view's table is built once, on first use, and
 * then takes only the entries a write has added since: a read never projects the whole ledger again.
 */
import { blankItem, blankRecord } from '../world/fields.ts';
import type { CompanyWorld, JsonValue, NominalEntry, SageRecord } from '../world/model.ts';
import { CollectionTable } from './collection-table.ts';
import type { TableLayout } from './layout.ts';

const VIEW = 'nominal_transaction_enquiry_views';

/** The ledger each entry's source names, as Sage's `/ledger_types` spells it. */
const LEDGER_TYPES: Readonly<Record<NominalEntry['source'], string>> = {
  SL: 'LedgerSales',
  PL: 'LedgerPurchase',
  CB: 'LedgerCashBook',
  NL: 'LedgerNominal',
};

/** How Sage's trader enquiries name a trader transaction's type, by ledger. */
const ENTRY_TYPE_STRINGS: Readonly<Record<string, readonly [sales: string, purchase: string]>> = {
  TradingAccountEntryTypeInvoice: ['Sales Invoice', 'Purchase Invoice'],
  TradingAccountEntryTypeCreditNote: ['Sales Credit Note', 'Purchase Credit Note'],
  TradingAccountEntryTypePurchasePaymentSalesReceipt: ['Sales Receipt', 'Purchase Payment'],
  TradingAccountEntryTypePurchaseReceiptSalesPayment: ['Sales Payment', 'Purchase Receipt'],
};

/** What the rows of one URN share: the posting's reference, user and analysis. */
interface Posting {
  reference: string;
  userName: string;
  nominalAnalysis: SageRecord[];
  taxAnalysis: SageRecord[];
  trade: SageRecord[];
  bank: SageRecord[];
}

type Tables = (collection: string) => CollectionTable;

const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');

/**
 * An item of the view's array `field`, with the fields of `from` that the view's item has. A blank string keeps the
 * view's own default: a sales or purchase item leaves `location` blank, where the view names an enum member.
 */
function itemOf(field: string, from: SageRecord): SageRecord {
  const item = blankItem(VIEW, field);
  for (const name of Object.keys(item)) {
    const value = from[name];
    if (value !== undefined && value !== '') item[name] = value;
  }
  return item;
}

export class NominalLedgerView {
  #entries: readonly NominalEntry[] | undefined;
  #projected = 0;
  #table: CollectionTable | undefined;
  readonly #postings = new Map<number, Posting>();

  constructor(
    private readonly company: CompanyWorld,
    private readonly layout: TableLayout,
    private readonly tables: Tables,
  ) {}

  /** The view's table, with a row for every entry of the ledger now. */
  table(): CollectionTable {
    const entries = this.company.nominal_entries;
    if (!this.#table || entries !== this.#entries || entries.length < this.#projected) {
      this.#entries = entries;
      this.#postings.clear();
      const { key, indexes, rangeIndexes } = this.layout;
      this.#table = new CollectionTable(
        entries.map((_entry, i) => this.#row(entries, i)),
        indexes,
        key,
        rangeIndexes,
      );
    } else {
      for (let i = this.#projected; i < entries.length; i++) this.#table.put(this.#row(entries, i));
    }
    this.#projected = entries.length;
    return this.#table;
  }

  #row(entries: readonly NominalEntry[], index: number): SageRecord {
    const entry = entries[index]!;
    const row = blankRecord(VIEW, '');
    const period = this.tables('financial_year_period_views').get(entry.accounting_period_id);
    const posting = this.#posting(entries, index);
    row.id = entry.id;
    row.nominal_code_id = entry.nominal_code_id;
    row.transaction_date = entry.transaction_date;
    row.period_number = period?.period_number ?? 0;
    row.reference = posting.reference;
    row.narrative = entry.narrative;
    row.debit = Math.max(entry.value, 0);
    row.credit = Math.max(-entry.value, 0);
    row.user_name = posting.userName;
    row.source = LEDGER_TYPES[entry.source];
    row.urn = entry.urn;
    row.accounting_period_id = entry.accounting_period_id;
    row.financial_year_id = period?.financial_year_id ?? null;
    row.financial_year_start_date = period?.financial_year_start_date ?? null;
    row.year_relative_to_current_year = period?.year_relative_to_current_year ?? 0;
    row.nominal_analysis_items = posting.nominalAnalysis;
    row.bank_items = posting.bank;
    row.tax_analysis_items = posting.taxAnalysis;
    row.trade_items = posting.trade;
    return row;
  }

  /**
   * The posted transactions of the URN of `entries[index]` as the view shows them. A nominal journal has none: its
   * analysis is its own lines, the entries of its URN (posted together, so next to each other).
   */
  #posting(entries: readonly NominalEntry[], index: number): Posting {
    const urn = entries[index]!.urn;
    const known = this.#postings.get(urn);
    if (known) return known;
    const sales = this.tables('sales_posted_transactions').lookup('urn', urn) ?? [];
    const purchase = this.tables('purchase_posted_transactions').lookup('urn', urn) ?? [];
    const bank = this.tables('bank_posted_transactions').lookup('urn', urn) ?? [];
    const traders = [
      ...sales.map((record) => ({ record, sales: true })),
      ...purchase.map((record) => ({ record, sales: false })),
    ];
    const first = traders[0]?.record ?? bank[0];
    const records = [...traders.map((t) => t.record), ...bank];
    const items = (field: string): SageRecord[] =>
      records.flatMap((record) => {
        const list = record[field];
        return Array.isArray(list) ? list.map((item) => itemOf(field, item as SageRecord)) : [];
      });
    const posting: Posting = {
      reference: text(first?.reference),
      userName: text(first?.user_name),
      nominalAnalysis:
        records.length > 0 ? items('nominal_analysis_items') : this.#journalLines(entries, index),
      taxAnalysis: items('tax_analysis_items'),
      trade: traders.map(({ record, sales }) => this.#tradeItem(record, sales)),
      bank: bank.map((record) => this.#bankItem(record)),
    };
    this.#postings.set(urn, posting);
    return posting;
  }

  #journalLines(entries: readonly NominalEntry[], index: number): SageRecord[] {
    const urn = entries[index]!.urn;
    let first = index;
    while (first > 0 && entries[first - 1]!.urn === urn) first--;
    const lines: SageRecord[] = [];
    for (let i = first; i < entries.length && entries[i]!.urn === urn; i++) {
      const entry = entries[i]!;
      const code = this.tables('nominal_codes').get(entry.nominal_code_id);
      const item = blankItem(VIEW, 'nominal_analysis_items');
      item.code = text(code?.reference);
      item.cost_centre = text(code?.cost_centre_code);
      item.department = text(code?.department_code);
      item.name = text(code?.name);
      item.narrative = entry.narrative;
      item.value = entry.value;
      item.base_value = entry.value;
      item.source = LEDGER_TYPES[entry.source];
      lines.push(item);
    }
    return lines;
  }

  #tradeItem(record: SageRecord, sales: boolean): SageRecord {
    const accountId = record[sales ? 'customer_id' : 'supplier_id'];
    const account =
      typeof accountId === 'number'
        ? this.tables(sales ? 'customers' : 'suppliers').get(accountId)
        : undefined;
    const type = text(record.trader_transaction_type);
    const item = blankItem(VIEW, 'trade_items');
    item.account_number = text(account?.reference);
    item.account_name = text(account?.name);
    item.trading_entry_type = type;
    item.entry_type_string = ENTRY_TYPE_STRINGS[type]?.[sales ? 0 : 1] ?? '';
    item.reference = text(record.reference);
    item.gross_value = record.document_gross_value ?? 0;
    item.tax_value = record.document_tax_value ?? 0;
    item.transaction_date = record.transaction_date ?? null;
    item.urn = record.urn ?? 0;
    return item;
  }

  #bankItem(record: SageRecord): SageRecord {
    const bankId = record.bank_id;
    const bank = typeof bankId === 'number' ? this.tables('banks').get(bankId) : undefined;
    const item = blankItem(VIEW, 'bank_items');
    item.bank_code = text(bank?.code);
    item.name = text(bank?.description);
    item.bank_entry_type =
      record.bank_transaction_type === 'BankAccountEntryTypeReceipt' ? 'Receipt' : 'Payment';
    item.reference = text(record.reference);
    item.cheque_value = record.cheque_value ?? 0;
    item.statement_date = record.last_statement_date ?? null;
    item.statement_page_number = record.statement_page_number ?? 0;
    item.urn = record.urn ?? 0;
    return item;
  }
}
