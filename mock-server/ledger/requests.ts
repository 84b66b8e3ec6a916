/**
 * Turns the body of each posting endpoint into a validated `Draft`, checking it as Sage 200 does before anything
 * is posted: the contract's schema, then every referenced record (account, bank, tax code, nominal code by code +
 * cost centre + department), an open accounting period for the transaction date, and analysis lines that add up to
 * the document. The first problem is a 400 naming the field; a failed request changes nothing.
 * Request schemas: Sage's published OpenAPI files (sales.json, purchases.json and cash-book.json).
 */
import type { Schemas } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import type { PostingNominal } from '../seed/posting.ts';
import { checkPosting } from '../validation/index.ts';
import { businessDate } from '../world/calendar.ts';
import type { SageRecord } from '../world/model.ts';
import { type LedgerBooks, postingNominal } from './books.ts';
import { classifyDay } from './dates.ts';
import type { AccountTable, DocumentDraft, Draft } from './drafts.ts';
import { dayOfField, money, pence, rate } from './fields.ts';

/** What validation needs besides the body and the books: today's date on the sandbox clock, as a day number. */
export interface RequestContext {
  today: number;
}

/** Sage's account status of an account or nominal code that is hidden (`account_status_types`). */
const HIDDEN = 'AccountStatusHidden';

const show = (amount: number): string => money(amount).toFixed(2);

/** Sums pence; `+ 0` turns a negative zero into 0. */
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) + 0;

/**
 * A date of a posting (`transaction_date`, an allocation's `allocation_date`): given or today; Unacceptable to
 * `classifyDay` (outside the open accounting periods) is a 400 (assumed rule).
 */
export function postingDay(
  value: string | null | undefined,
  field: string,
  books: LedgerBooks,
  ctx: RequestContext,
): number {
  const day = value === undefined || value === null ? ctx.today : dayOfField(value, field);
  const verdict = classifyDay(day, ctx.today, books, field);
  if (verdict.classification === 'Unacceptable') throw badRequest(verdict.message);
  return day;
}

const transactionDay = (value: string | null | undefined, books: LedgerBooks, ctx: RequestContext): number =>
  postingDay(value, 'transaction_date', books, ctx);

interface TraderLedger {
  table: AccountTable;
  noun: 'customer' | 'supplier';
  idField: 'customer_id' | 'supplier_id';
}

const SALES: TraderLedger = { table: 'customers', noun: 'customer', idField: 'customer_id' };
const PURCHASE: TraderLedger = { table: 'suppliers', noun: 'supplier', idField: 'supplier_id' };

function traderAccount(ledger: TraderLedger, id: number, books: LedgerBooks): SageRecord {
  const account = ledger.table === 'customers' ? books.customer(id) : books.supplier(id);
  if (!account) throw badRequest(`The ${ledger.idField} ${id} is not the id of a ${ledger.noun}.`);
  // A hidden account takes no new transactions until it is made active again (assumed, from Sage 200's help).
  if (account.account_status_type === HIDDEN) {
    throw badRequest(
      `The ${ledger.idField} ${id} is a hidden ${ledger.noun} account: it takes no new transactions until its account_status_type is AccountStatusActive again.`,
    );
  }
  return account;
}

/**
 * The account's exchange rate: given (must be 1 in the base currency) or the currency's rate on the posting's day
 * (its period's rate for a currency on period rates).
 */
function exchangeRate(
  given: number | undefined,
  account: SageRecord,
  books: LedgerBooks,
  day: number,
): number {
  const currency = books.currency(account.currency_id) ?? books.baseCurrency();
  if (currency.is_base_currency === true) {
    if (given !== undefined && given !== 1) {
      throw badRequest('The field exchange_rate must be 1 for an account in the base currency.');
    }
    return 1;
  }
  return given === undefined
    ? rate(books.currencyRate(currency, day).rate, 'exchange_rate')
    : rate(given, 'exchange_rate');
}

/** Base currency pence of an amount in the account's currency (1 GBP = `rate` of it). */
const toBase = (amount: number, exchange: number): number =>
  exchange === 1 ? amount : Math.round(amount / exchange);

/** A goods line of an invoice or credit note. */
type InvoiceLine = NonNullable<Schemas['SalesInvoice']['nominal_analysis_items']>[number];

/** What names a nominal code on any posting's line (a bank line has no transaction analysis code). */
type NominalLine = Pick<InvoiceLine, 'code' | 'cost_centre' | 'department' | 'transaction_analysis_code'>;

/** The nominal code a line names by code + cost centre + department (either may be left out when unambiguous). */
export function nominalOf(line: NominalLine, at: string, books: LedgerBooks): PostingNominal {
  const codes = books.nominalCodes(line.code, line.cost_centre, line.department);
  const named = [
    `code '${line.code}'`,
    line.cost_centre === undefined ? '' : ` cost centre '${line.cost_centre}'`,
    line.department === undefined ? '' : ` department '${line.department}'`,
  ].join('');
  if (codes.length === 0) throw badRequest(`The ${at} ${named} is not a nominal code of this company.`);
  if (codes.length > 1) {
    throw badRequest(
      `The ${at} ${named} matches several nominal codes: give its cost_centre and department.`,
    );
  }
  if (codes[0]!.account_status_type === HIDDEN) {
    throw badRequest(
      `The ${at} ${named} is a hidden nominal code: it takes no postings until its account_status_type is AccountStatusActive again.`,
    );
  }
  if (line.transaction_analysis_code !== undefined && line.transaction_analysis_code !== '') {
    throw badRequest(
      `The ${at}.transaction_analysis_code '${line.transaction_analysis_code}' is not a transaction analysis code of this company.`,
    );
  }
  return postingNominal(codes[0]!);
}

function taxCodeOf(id: number, field: string, books: LedgerBooks): SageRecord {
  const code = books.taxCode(id);
  if (!code) throw badRequest(`The ${field} ${id} is not the id of a tax code.`);
  return code;
}

const taxLineCode = (code: SageRecord) => ({
  id: Number(code.id),
  code: Number(code.code),
  name: String(code.name ?? ''),
});

/**
 * An invoice or credit note body, whichever ledger it is for: a sales invoice's fields without its account (a
 * credit note lacks `due_date`), and a purchase document's `vat_adjustment_doc_expected`.
 */
type InvoiceBody = Omit<Schemas['SalesInvoice'], 'customer_id'> &
  Pick<Schemas['PurchaseInvoice'], 'vat_adjustment_doc_expected' | 'is_authorised'>;

/** Header amount: given, else the sum of the lines that carry it, else `fallback`. */
function header(
  given: number | undefined,
  field: string,
  lines: readonly (number | undefined)[] | undefined,
): number {
  if (given !== undefined) return pence(given, field);
  if (lines !== undefined && lines.length > 0 && lines.every((v) => v !== undefined)) {
    return sum(lines.map((v, i) => pence(v!, `${field}[${i}]`)));
  }
  return 0;
}

function mustAddUp(total: number, expected: number, what: string, target: string): void {
  if (total !== expected)
    throw badRequest(`The ${what} add up to ${show(total)}, not the ${target} ${show(expected)}.`);
}

function invoiceDraft(
  kind: 'SI' | 'SC' | 'PI' | 'PC',
  ledger: TraderLedger,
  accountId: number,
  body: InvoiceBody,
  books: LedgerBooks,
  ctx: RequestContext,
): Draft {
  const account = traderAccount(ledger, accountId, books);
  const day = transactionDay(body.transaction_date, books, ctx);
  const invoice = kind === 'SI' || kind === 'PI';
  const dueDay =
    body.due_date === undefined || body.due_date === null
      ? day + (invoice ? Number(account.payment_terms_days ?? 0) : 0)
      : dayOfField(body.due_date, 'due_date');
  const exchange = exchangeRate(body.exchange_rate, account, books, day);

  const taxItems = body.tax_analysis_items;
  const nominalItems = body.nominal_analysis_items;
  if (body.document_goods_value === undefined && taxItems === undefined && nominalItems === undefined) {
    throw badRequest('The document_goods_value field is required.');
  }
  const goods =
    body.document_goods_value !== undefined || taxItems !== undefined
      ? header(
          body.document_goods_value,
          'document_goods_value',
          taxItems?.map((t) => t.goods_amount),
        )
      : header(
          undefined,
          'document_goods_value',
          nominalItems?.map((n) => n.value),
        );
  const tax = header(
    body.document_tax_value,
    'document_tax_value',
    taxItems?.map((t) => t.tax_amount),
  );
  const discount = header(
    body.document_discount_value,
    'document_discount_value',
    taxItems?.map((t) => t.discount_amount),
  );
  const taxDiscount = header(
    body.document_tax_discount_value,
    'document_tax_discount_value',
    taxItems?.map((t) => t.tax_discount_amount),
  );
  const discountPercent =
    body.discount_percent === undefined
      ? Number(account.early_settlement_discount_percent ?? 0)
      : pence(body.discount_percent, 'discount_percent') / 100;
  if (discountPercent > 100) throw badRequest('The field discount_percent must not be more than 100.');
  const discountDays = body.discount_days ?? Number(account.early_settlement_discount_days ?? 0);
  if (discountDays < 0) throw badRequest('The field discount_days must not be negative.');

  // Tax analysis: one line per tax code, defaulting to the account's default tax code for the whole document.
  const defaultTaxCode = account.default_tax_code_id;
  const taxLines = (
    taxItems ??
    (() => {
      if (typeof defaultTaxCode !== 'number') {
        throw badRequest(
          `The tax_analysis_items field is required: the ${ledger.noun} has no default tax code.`,
        );
      }
      const whole: NonNullable<InvoiceBody['tax_analysis_items']>[number] = { id: defaultTaxCode };
      return [whole];
    })()
  ).map((item, i) => {
    const at = `tax_analysis_items[${i}]`;
    const code = taxCodeOf(item.id, `${at}.id`, books);
    return {
      taxCode: taxLineCode(code),
      goods: item.goods_amount === undefined ? goods : pence(item.goods_amount, `${at}.goods_amount`),
      tax: item.tax_amount === undefined ? tax : pence(item.tax_amount, `${at}.tax_amount`),
      discount:
        item.discount_amount === undefined ? discount : pence(item.discount_amount, `${at}.discount_amount`),
      taxDiscount:
        item.tax_discount_amount === undefined
          ? taxDiscount
          : pence(item.tax_discount_amount, `${at}.tax_discount_amount`),
    };
  });

  // Nominal analysis: the goods by nominal code, defaulting to the account's default nominal code.
  const defaultNominal = String(account.default_nominal_code_reference ?? '');
  const lines = (
    nominalItems ??
    (() => {
      if (defaultNominal === '') {
        throw badRequest(
          `The nominal_analysis_items field is required: the ${ledger.noun} has no default nominal code.`,
        );
      }
      const whole: InvoiceLine = {
        code: defaultNominal,
        cost_centre: String(account.default_nominal_code_cost_centre ?? ''),
        department: String(account.default_nominal_code_department ?? ''),
      };
      return [whole];
    })()
  ).map((item, i) => {
    const at = `nominal_analysis_items[${i}]`;
    const nominal = nominalOf(item, at, books);
    const net = item.value === undefined ? goods : pence(item.value, `${at}.value`);
    return { nominal, net, baseNet: toBase(net, exchange), narrative: item.narrative ?? '' };
  });

  const taxWhat = 'tax_analysis_items';
  mustAddUp(
    sum(taxLines.map((t) => t.goods)),
    goods,
    `${taxWhat} goods_amount values`,
    'document_goods_value',
  );
  mustAddUp(sum(taxLines.map((t) => t.tax)), tax, `${taxWhat} tax_amount values`, 'document_tax_value');
  mustAddUp(
    sum(taxLines.map((t) => t.discount)),
    discount,
    `${taxWhat} discount_amount values`,
    'document_discount_value',
  );
  mustAddUp(
    sum(taxLines.map((t) => t.taxDiscount)),
    taxDiscount,
    `${taxWhat} tax_discount_amount values`,
    'document_tax_discount_value',
  );
  mustAddUp(sum(lines.map((l) => l.net)), goods, 'nominal_analysis_items values', 'document_goods_value');
  if (goods + tax === 0) {
    throw badRequest(
      'The document_goods_value and document_tax_value add up to zero: a posting needs a value.',
    );
  }

  const baseGoods = sum(lines.map((l) => l.baseNet));
  const held = ledger === PURCHASE && awaitsAuthorisation(baseGoods, body.is_authorised, books);
  const baseTax = sum(taxLines.map((t) => toBase(t.tax, exchange)));
  const sign = invoice ? 1 : -1;
  const fields: SageRecord = {
    settled_immediately: body.settled_immediately ?? false,
    document_discount_value: money(sign * discount),
    document_tax_discount_value: money(sign * taxDiscount),
    base_discount_value: money(sign * toBase(discount, exchange)),
    base_tax_discount_value: money(sign * toBase(taxDiscount, exchange)),
    discount_percent: discountPercent,
    discount_days: discountDays,
  };
  if (ledger === PURCHASE) fields.vat_adjustment_doc_expected = body.vat_adjustment_doc_expected ?? false;
  const doc: DocumentDraft = {
    kind,
    day,
    trader: traderOf(account),
    bank: null,
    reference: body.reference ?? '',
    secondReference: body.second_reference ?? '',
    description: '',
    lines: held ? [heldLine(lines, goods, baseGoods, books)] : lines,
    taxLines: taxLines.map(({ taxCode, goods: g, tax: t }) => ({ taxCode, goods: g, tax: t })),
    journal: [],
    rate: exchange,
    goods,
    tax,
    gross: goods + tax,
    baseGoods,
    baseTax,
    baseGross: baseGoods + baseTax,
    dueDay,
    allocations: [],
    allocated: 0,
    settledDay: -1,
  };
  return {
    type: 'trader',
    doc,
    table: ledger.table,
    account,
    fields,
    taxDiscounts: taxLines.map((t) => t.taxDiscount),
    ...(held ? { awaitingAuthorisation: true as const } : {}),
  };
}

/**
 * Whether a purchase document waits for authorisation: the company uses it, the goods value (base currency) is
 * above the threshold, and the body does not say it is authorised already (`is_authorised`, Sage's "Determines
 * whether the transaction is to be authorised or not").
 */
function awaitsAuthorisation(
  baseGoods: number,
  authorised: boolean | undefined,
  books: LedgerBooks,
): boolean {
  const threshold = books.authorisationThreshold();
  return threshold !== undefined && baseGoods > threshold && authorised !== true;
}

/** The one line a held document posts: its goods value on the Unauthorised Purchases account. */
function heldLine(
  lines: readonly DocumentDraft['lines'][number][],
  goods: number,
  baseGoods: number,
  books: LedgerBooks,
): DocumentDraft['lines'][number] {
  const code = books.unauthorisedPurchases();
  if (!code) throw badRequest('The company has no default nominal account for Unauthorised Purchases.');
  return {
    nominal: postingNominal(code),
    net: goods,
    baseNet: baseGoods,
    narrative: lines[0]?.narrative ?? '',
  };
}

/** A currency's name for messages. */
function currencyName(books: LedgerBooks, id: number): string {
  return String(books.currency(id)?.name ?? id);
}

function traderOf(account: SageRecord): DocumentDraft['trader'] {
  return {
    id: Number(account.id),
    reference: String(account.reference ?? ''),
    name: String(account.name ?? ''),
  };
}

/**
 * A bank account the sandbox can post to: it exists and its nominal code exists. A bank in a foreign currency
 * carries `currencyId`: its cheques are in that currency.
 */
function bankOf(id: number, field: string, books: LedgerBooks): NonNullable<DocumentDraft['bank']> {
  const bank = books.bank(id);
  if (!bank) throw badRequest(`The ${field} ${id} is not the id of a bank account.`);
  const currency = books.currency(bank.account_currency_id);
  const foreign = currency !== undefined && currency.is_base_currency !== true;
  const nominal = books.bankNominal(bank);
  if (!nominal) {
    throw badRequest(
      `The ${field} ${id} is a bank account whose nominal code ${String(bank.bank_account_nominal_reference)} does not exist.`,
    );
  }
  return {
    id,
    code: String(bank.code ?? ''),
    description: String(bank.description ?? ''),
    nominal: postingNominal(nominal),
    ...(foreign ? { currencyId: Number(currency.id) } : {}),
  };
}

/**
 * A sales receipt or payment, or a purchase payment or receipt, body without its account's fields (Sage's four
 * schemas have the same).
 */
type CashBody = Omit<Schemas['SalesReceipt'], 'customer_id' | 'customer_cheque_value'>;

/** What each trader cash document is called in messages. */
const CASH_NOUNS = {
  SR: 'sales receipt',
  SP: 'sales payment',
  PP: 'purchase payment',
  PR: 'purchase receipt',
} as const;

function cashDraft(
  kind: keyof typeof CASH_NOUNS,
  ledger: TraderLedger,
  accountId: number,
  body: CashBody,
  accountChequeValue: number | undefined,
  books: LedgerBooks,
  ctx: RequestContext,
): Draft {
  const account = traderAccount(ledger, accountId, books);
  const bank = bankOf(body.bank_id, 'bank_id', books);
  const chequeField = `${ledger.noun}_cheque_value`;
  const cheque = pence(body.cheque_value, 'cheque_value');
  if (cheque === 0) throw badRequest('The field cheque_value must be greater than zero.');
  const day = transactionDay(body.transaction_date, books, ctx);
  const exchange = exchangeRate(body.exchange_rate, account, books, day);
  const accountCurrency = books.currency(account.currency_id) ?? books.baseCurrency();
  const baseCurrency = books.baseCurrency();
  const chequeCurrency = body.cheque_currency_id ?? accountCurrency.id;
  if (chequeCurrency !== accountCurrency.id && chequeCurrency !== baseCurrency.id) {
    throw badRequest(
      `The cheque_currency_id ${String(chequeCurrency)} is neither the ${ledger.noun}'s currency nor the base currency; the sandbox supports only those.`,
    );
  }
  // A foreign currency bank pays and receives in its own currency, for accounts in that currency only (assumed).
  if (bank.currencyId !== undefined) {
    if (accountCurrency.id !== bank.currencyId) {
      throw badRequest(
        `The bank_id ${body.bank_id} is a bank account in ${currencyName(books, bank.currencyId)}; the ${ledger.noun} ${accountId} trades in ${String(accountCurrency.name)}, and a foreign currency bank account takes only accounts in its own currency.`,
      );
    }
    if (chequeCurrency !== bank.currencyId) {
      throw badRequest(
        `The field cheque_currency_id must be the bank account's currency (${bank.currencyId}) for a bank account in a foreign currency.`,
      );
    }
  }
  if (
    body.settlement_discount_value !== undefined &&
    pence(body.settlement_discount_value, 'settlement_discount_value') !== 0
  ) {
    throw badRequest(
      'The field settlement_discount_value is not supported by the sandbox: post the discount as a credit note.',
    );
  }
  if (body.nominal_analysis_items !== undefined && body.nominal_analysis_items.length > 0) {
    throw badRequest(
      `The field nominal_analysis_items is not supported by the sandbox on a ${CASH_NOUNS[kind]}: it posts to the bank and control accounts only.`,
    );
  }
  // The account side is in the account's currency, the bank side in base currency.
  let accountValue: number;
  let baseValue: number;
  if (chequeCurrency === accountCurrency.id) {
    accountValue = accountChequeValue === undefined ? cheque : pence(accountChequeValue, chequeField);
    if (accountValue !== cheque) {
      throw badRequest(
        `The field ${chequeField} must equal cheque_value when the cheque is in the ${ledger.noun}'s currency.`,
      );
    }
    baseValue = toBase(cheque, exchange);
  } else {
    baseValue = cheque;
    accountValue =
      accountChequeValue === undefined
        ? Math.round(cheque * exchange)
        : pence(accountChequeValue, chequeField);
    if (accountValue === 0) throw badRequest(`The field ${chequeField} must be greater than zero.`);
  }
  const doc: DocumentDraft = {
    kind,
    day,
    trader: traderOf(account),
    bank,
    reference: body.reference ?? '',
    secondReference: body.second_reference ?? '',
    description: '',
    lines: [],
    taxLines: [],
    journal: [],
    rate: exchange,
    goods: accountValue,
    tax: 0,
    gross: accountValue,
    baseGoods: baseValue,
    baseTax: 0,
    baseGross: baseValue,
    dueDay: day,
    allocations: [],
    allocated: 0,
    settledDay: -1,
  };
  return { type: 'trader', doc, table: ledger.table, account, fields: {}, taxDiscounts: [] };
}

type BankEntryBody = Schemas['BankPayment'] | Schemas['BankReceipt'];

/** A bank payment or receipt: nominal lines with goods, tax and gross, grouped by tax code for the tax analysis. */
function bankEntryDraft(
  kind: 'BP' | 'BR',
  body: BankEntryBody,
  books: LedgerBooks,
  ctx: RequestContext,
): Draft {
  const bank = bankOf(body.bank_id, 'bank_id', books);
  const items = body.nominal_analysis_items;
  const firstLineDate = items.find((item) => typeof item.transaction_date === 'string')?.transaction_date;
  const day = transactionDay(body.transaction_date ?? firstLineDate, books, ctx);
  // A foreign currency bank's entry is in its currency, at the given rate or the currency's rate on the day.
  const bankCurrency = books.currency(bank.currencyId) ?? books.baseCurrency();
  let exchange = 1;
  if (bank.currencyId === undefined) {
    if (body.exchange_rate !== undefined && body.exchange_rate !== 1) {
      throw badRequest('The field exchange_rate must be 1 for a bank account in the base currency.');
    }
  } else {
    exchange = rate(body.exchange_rate ?? books.currencyRate(bankCurrency, day).rate, 'exchange_rate');
  }
  if (
    body.cheque_currency_id !== undefined &&
    body.cheque_currency_id !== null &&
    body.cheque_currency_id !== bankCurrency.id
  ) {
    throw badRequest(
      bank.currencyId === undefined
        ? 'The field cheque_currency_id must be the base currency for a bank account in the base currency.'
        : `The field cheque_currency_id must be the bank account's currency (${bank.currencyId}) for a bank account in a foreign currency.`,
    );
  }
  const headerTaxCode =
    body.tax_code_id === undefined || body.tax_code_id === null
      ? undefined
      : taxCodeOf(body.tax_code_id, 'tax_code_id', books);
  if (items.length === 0) throw badRequest('The field nominal_analysis_items must have at least one line.');

  const lines = items.map((item, i) => {
    const at = `nominal_analysis_items[${i}]`;
    const nominal = nominalOf(item, at, books);
    if (
      typeof item.transaction_date === 'string' &&
      dayOfField(item.transaction_date, `${at}.transaction_date`) !== day
    ) {
      throw badRequest(`The ${at}.transaction_date must be the posting's transaction_date.`);
    }
    const taxCode =
      item.tax_code_id === undefined || item.tax_code_id === null
        ? headerTaxCode
        : taxCodeOf(item.tax_code_id, `${at}.tax_code_id`, books);
    const taxRate = taxCode === undefined ? 0 : Number(taxCode.tax_rate ?? 0);
    let goods = item.goods_value === undefined ? undefined : pence(item.goods_value, `${at}.goods_value`);
    let tax = item.tax_value === undefined ? undefined : pence(item.tax_value, `${at}.tax_value`);
    const gross = item.gross_value === undefined ? undefined : pence(item.gross_value, `${at}.gross_value`);
    if (goods === undefined && gross === undefined) {
      throw badRequest(`The ${at}.goods_value field is required (or its gross_value).`);
    }
    // VAT left out is worked out from the tax code's rate, as Sage's cash book does (round half up).
    if (goods === undefined) {
      tax ??= Math.round((gross! * taxRate) / (100 + taxRate));
      goods = gross! - tax;
    }
    tax ??= Math.round((goods * taxRate) / 100);
    if (gross !== undefined && goods + tax !== gross) {
      throw badRequest(
        `The ${at} goods_value ${show(goods)} plus tax_value ${show(tax)} is not its gross_value ${show(gross)}.`,
      );
    }
    if (goods < 0) throw badRequest(`The field ${at}.goods_value must not be negative.`);
    if (goods + tax === 0)
      throw badRequest(`The ${at} has no value: its gross_value must be greater than zero.`);
    if (taxCode === undefined && tax !== 0) {
      throw badRequest(`The ${at}.tax_code_id field is required: the line has a tax_value.`);
    }
    return {
      nominal,
      taxCode,
      net: goods,
      baseNet: toBase(goods, exchange),
      tax,
      narrative: item.narrative ?? body.narrative ?? '',
    };
  });
  if (body.bank_charges !== undefined && body.bank_charges.length > 0) {
    throw badRequest(
      bank.currencyId === undefined
        ? 'The field bank_charges applies only to a bank account in a foreign currency.'
        : 'The field bank_charges is not supported by the sandbox: post the charges as a line of their own.',
    );
  }
  const goods = sum(lines.map((l) => l.net));
  const tax = sum(lines.map((l) => l.tax));
  if (body.cheque_value !== undefined) {
    mustAddUp(
      goods + tax,
      pence(body.cheque_value, 'cheque_value'),
      'nominal_analysis_items gross values',
      'cheque_value',
    );
  }
  if (body.cheque_goods_value !== undefined) {
    mustAddUp(
      goods,
      pence(body.cheque_goods_value, 'cheque_goods_value'),
      'nominal_analysis_items goods values',
      'cheque_goods_value',
    );
  }
  if (body.cheque_tax_value !== undefined) {
    mustAddUp(
      tax,
      pence(body.cheque_tax_value, 'cheque_tax_value'),
      'nominal_analysis_items tax values',
      'cheque_tax_value',
    );
  }

  const byCode = new Map<number, { taxCode: ReturnType<typeof taxLineCode>; goods: number; tax: number }>();
  for (const line of lines) {
    if (line.taxCode === undefined) continue;
    const key = Number(line.taxCode.id);
    const entry = byCode.get(key) ?? { taxCode: taxLineCode(line.taxCode), goods: 0, tax: 0 };
    entry.goods += line.net;
    entry.tax += line.tax;
    byCode.set(key, entry);
  }
  const doc: DocumentDraft = {
    kind,
    day,
    trader: null,
    bank,
    reference: body.reference ?? '',
    secondReference: body.second_reference ?? '',
    description: body.narrative ?? '',
    lines: lines.map(({ nominal, net, baseNet, narrative }) => ({ nominal, net, baseNet, narrative })),
    taxLines: [...byCode.values()],
    journal: [],
    rate: exchange,
    goods,
    tax,
    gross: goods + tax,
    baseGoods: sum(lines.map((l) => l.baseNet)),
    baseTax: toBase(tax, exchange),
    baseGross: sum(lines.map((l) => l.baseNet)) + toBase(tax, exchange),
    dueDay: day,
    allocations: [],
    allocated: 0,
    settledDay: -1,
  };
  return { type: 'cash', doc };
}

function transferDraft(body: Schemas['BankTransfer'], books: LedgerBooks, ctx: RequestContext): Draft {
  const from = bankOf(body.bank_from_id, 'bank_from_id', books);
  const to = bankOf(body.bank_to_id, 'bank_to_id', books);
  for (const [bank, field] of [
    [from, 'bank_from_id'],
    [to, 'bank_to_id'],
  ] as const) {
    if (bank.currencyId !== undefined) {
      throw badRequest(
        `The ${field} ${bank.id} is a bank account in a foreign currency; the sandbox transfers between base-currency bank accounts only.`,
      );
    }
  }
  if (from.id === to.id)
    throw badRequest('The field bank_to_id must be a different bank account from bank_from_id.');
  const value = pence(body.payment_value, 'payment_value');
  if (value === 0) throw badRequest('The field payment_value must be greater than zero.');
  const day = transactionDay(body.transaction_date, books, ctx);
  if (body.receipt_value !== undefined && pence(body.receipt_value, 'receipt_value') !== value) {
    throw badRequest(
      'The field receipt_value must equal payment_value between bank accounts in the base currency.',
    );
  }
  for (const field of [
    'exchange_rate',
    'payment_to_base_exchange_rate',
    'receipt_to_base_exchange_rate',
  ] as const) {
    const given = body[field];
    if (given !== undefined && given !== 1) {
      throw badRequest(`The field ${field} must be 1 between bank accounts in the base currency.`);
    }
  }
  if (body.commission_value !== undefined && pence(body.commission_value, 'commission_value') !== 0) {
    throw badRequest(
      'The field commission_value applies only to a transfer involving a foreign currency bank account.',
    );
  }
  const narrative = body.narrative ?? '';
  const document = (
    kind: 'BP' | 'BR',
    bank: NonNullable<DocumentDraft['bank']>,
    other: NonNullable<DocumentDraft['bank']>,
  ): DocumentDraft => ({
    kind,
    day,
    trader: null,
    bank,
    reference: body.reference ?? '',
    secondReference: body.second_reference ?? '',
    description: narrative === '' ? `Bank transfer ${from.code} to ${to.code}` : narrative,
    lines: [{ nominal: other.nominal, net: value, baseNet: value, narrative }],
    taxLines: [],
    journal: [],
    rate: 1,
    goods: value,
    tax: 0,
    gross: value,
    baseGoods: value,
    baseTax: 0,
    baseGross: value,
    dueDay: day,
    allocations: [],
    allocated: 0,
    settledDay: -1,
  });
  const response: SageRecord = {
    bank_from_id: from.id,
    bank_to_id: to.id,
    narrative,
    reference: body.reference ?? '',
    second_reference: body.second_reference ?? '',
    transaction_date: businessDate(day),
    payment_value: money(value),
    receipt_value: money(value),
    exchange_rate: 1,
    commission_value: 0,
    commission_code: body.commission_code ?? '',
    commission_cost_centre: body.commission_cost_centre ?? '',
    commission_department: body.commission_department ?? '',
    commission_payer: body.commission_payer ?? '',
    payment_to_base_exchange_rate: 1,
    receipt_to_base_exchange_rate: 1,
    exchange_difference_code: body.exchange_difference_code ?? '',
    exchange_difference_cost_centre: body.exchange_difference_cost_centre ?? '',
    exchange_difference_department: body.exchange_difference_department ?? '',
  };
  return { type: 'transfer', payment: document('BP', from, to), receipt: document('BR', to, from), response };
}

/** The posting endpoints, by path, and how each reads its body (the module a role needs is in the contract). */
export const POSTINGS = {
  sales_invoices: {
    draft: (raw: unknown, books: LedgerBooks, ctx: RequestContext): Draft => {
      const body = checkPosting('SalesInvoice', raw);
      return invoiceDraft('SI', SALES, body.customer_id, body, books, ctx);
    },
  },
  sales_credit_notes: {
    draft: (raw: unknown, books: LedgerBooks, ctx: RequestContext): Draft => {
      const body = checkPosting('SalesCreditNote', raw);
      return invoiceDraft('SC', SALES, body.customer_id, body, books, ctx);
    },
  },
  sales_receipts: {
    draft: (raw: unknown, books: LedgerBooks, ctx: RequestContext): Draft => {
      const body = checkPosting('SalesReceipt', raw);
      return cashDraft('SR', SALES, body.customer_id, body, body.customer_cheque_value, books, ctx);
    },
  },
  sales_payments: {
    draft: (raw: unknown, books: LedgerBooks, ctx: RequestContext): Draft => {
      const body = checkPosting('SalesPayment', raw);
      return cashDraft('SP', SALES, body.customer_id, body, body.customer_cheque_value, books, ctx);
    },
  },
  purchase_invoices: {
    draft: (raw: unknown, books: LedgerBooks, ctx: RequestContext): Draft => {
      const body = checkPosting('PurchaseInvoice', raw);
      return invoiceDraft('PI', PURCHASE, body.supplier_id, body, books, ctx);
    },
  },
  purchase_credit_notes: {
    draft: (raw: unknown, books: LedgerBooks, ctx: RequestContext): Draft => {
      const body = checkPosting('PurchaseCreditNote', raw);
      return invoiceDraft('PC', PURCHASE, body.supplier_id, body, books, ctx);
    },
  },
  purchase_payments: {
    draft: (raw: unknown, books: LedgerBooks, ctx: RequestContext): Draft => {
      const body = checkPosting('PurchasePayment', raw);
      return cashDraft('PP', PURCHASE, body.supplier_id, body, body.supplier_cheque_value, books, ctx);
    },
  },
  purchase_receipts: {
    draft: (raw: unknown, books: LedgerBooks, ctx: RequestContext): Draft => {
      const body = checkPosting('PurchaseReceipt', raw);
      return cashDraft('PR', PURCHASE, body.supplier_id, body, body.supplier_cheque_value, books, ctx);
    },
  },
  bank_payment: {
    draft: (raw: unknown, books: LedgerBooks, ctx: RequestContext): Draft =>
      bankEntryDraft('BP', checkPosting('BankPayment', raw), books, ctx),
  },
  bank_receipt: {
    draft: (raw: unknown, books: LedgerBooks, ctx: RequestContext): Draft =>
      bankEntryDraft('BR', checkPosting('BankReceipt', raw), books, ctx),
  },
  bank_transfer: {
    draft: (raw: unknown, books: LedgerBooks, ctx: RequestContext): Draft =>
      transferDraft(checkPosting('BankTransfer', raw), books, ctx),
  },
} as const;

/** The path of each posting endpoint, e.g. `sales_invoices`. */
export type PostingPath = keyof typeof POSTINGS;
