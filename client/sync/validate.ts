/**
 * The checks the sync runs on mapped data, as Codat describes its own
 * (https://docs.codat.io/integrations/accounting/sage200/accounting-sage200-setup,
 * https://docs.codat.io/lending/troubleshooting): a balance sheet's net assets must equal its equity, and a
 * document's lines must add up to its header.
 *
 * Codat publishes the rules but not the ids of all of them; every `ruleId` and `validatorName` below is OURS (made up
 * for this sync, in Codat's `{ ruleId, itemId, message, validatorName }` shape), not one of Codat's. Codat's one
 * published line rule, `accounting-bill-030` "A bill's lines summed (69.99) should be the same as TotalAmount
 * (70.00)", is an error for a one-penny gap; the thresholds follow it.
 */
import type {
  BalanceSheetReport,
  Bill,
  BillCreditNote,
  CreditNote,
  Invoice,
  ValidationItem,
  ValidationResult,
} from './codat-types.ts';
import { formatMoney, pence } from './money.ts';

/** Our rule ids and validator names (not Codat's). */
export const RULES = {
  balanceSheetBalances: {
    ruleId: 'sync.balanceSheet.netAssetsEqualEquity',
    validatorName: 'BalanceSheetValidator',
  },
  customersControlAccount: {
    ruleId: 'sync.customers.balancesEqualControlAccount',
    validatorName: 'CustomerValidator',
  },
  suppliersControlAccount: {
    ruleId: 'sync.suppliers.balancesEqualControlAccount',
    validatorName: 'SupplierValidator',
  },
  invoices: { validatorName: 'InvoiceValidator' },
  creditNotes: { validatorName: 'CreditNoteValidator' },
  bills: { validatorName: 'BillValidator' },
  billCreditNotes: { validatorName: 'BillCreditNoteValidator' },
} as const;

export type DocumentType = 'invoices' | 'creditNotes' | 'bills' | 'billCreditNotes';

const NOUN: Record<DocumentType, string> = {
  invoices: 'An invoice',
  creditNotes: 'A credit note',
  bills: 'A bill',
  billCreditNotes: 'A bill credit note',
};

export function emptyValidation(): ValidationResult {
  return { errors: [], warnings: [] };
}

/** Error when net assets and equity differ by a penny or more; the message states both and the difference. */
export function validateBalanceSheetReport(report: BalanceSheetReport): ValidationItem | undefined {
  const difference = pence(report.netAssets) - pence(report.equity.value);
  if (difference === 0) return undefined;
  return {
    ...RULES.balanceSheetBalances,
    itemId: report.date,
    message:
      `Net assets (${formatMoney(report.netAssets)}) should be the same as equity ` +
      `(${formatMoney(report.equity.value)}) at ${report.date.slice(0, 10)}: difference ${formatMoney(difference / 100)}.`,
  };
}

/**
 * Error when the accounts' balances, summed, differ from their control account's balance (debit positive: the
 * debtors control for customers, minus the creditors control for suppliers) by a penny or more.
 */
export function validateControlAccount(
  ledger: 'customers' | 'suppliers',
  reference: string,
  accountsPence: number,
  controlPence: number,
): ValidationItem | undefined {
  const difference = accountsPence - controlPence;
  if (difference === 0) return undefined;
  const noun = ledger === 'customers' ? 'customer' : 'supplier';
  const control = ledger === 'customers' ? 'debtors' : 'creditors';
  return {
    ...RULES[ledger === 'customers' ? 'customersControlAccount' : 'suppliersControlAccount'],
    itemId: reference,
    message:
      `The ${noun} balances summed (${formatMoney(accountsPence / 100)}) should be the same as the ${control} ` +
      `control account ${reference} (${formatMoney(controlPence / 100)}): difference ${formatMoney(difference / 100)}.`,
  };
}

/** Gaps this small are floating-point noise, not a difference. */
const NOISE = 1e-7;

type Document = Invoice | CreditNote | Bill | BillCreditNote;

/**
 * Lines summed against the header, for the total and the subtotal: an error when they differ by a penny or more,
 * a warning when by less (an unrounded tax line, as in Codat's Sage 200 example: 27.97536 against 27.98).
 */
export function validateDocumentLines(type: DocumentType, document: Document, into: ValidationResult): void {
  const checks: [rule: string, field: string, header: number, lines: number][] = [
    ['linesSumToTotalAmount', 'TotalAmount', document.totalAmount, sum(document, (l) => l.totalAmount)],
    ['linesSumToSubTotal', 'SubTotal', document.subTotal, sum(document, (l) => l.subTotal)],
  ];
  for (const [rule, field, header, lines] of checks) {
    const gap = Math.abs(lines - header);
    if (gap <= NOISE) continue;
    const item: ValidationItem = {
      ruleId: `sync.${type}.${rule}`,
      validatorName: RULES[type].validatorName,
      itemId: document.id,
      message: `${NOUN[type]}'s lines summed (${trim(lines)}) should be the same as ${field} (${trim(header)}).`,
    };
    (gap >= 0.01 - NOISE ? into.errors : into.warnings).push(item);
  }
}

function sum(document: Document, value: (line: Document['lineItems'][number]) => number): number {
  return document.lineItems.reduce((total, line) => total + value(line), 0);
}

/** A number as short as it can be shown without losing what the check is about (up to 5 decimals). */
function trim(value: number): string {
  return String(Math.round(value * 100_000) / 100_000);
}
