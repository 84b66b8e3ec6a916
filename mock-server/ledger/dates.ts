/**
 * Which days a posting takes: the one rule behind every posting's transaction date, an allocation's date and the
 * answer of `POST /transaction_date_validation` (general.json), so that what the validation says is what the
 * postings then do. A day outside the company's financial years, or in a year whose year end has been run, is
 * Unacceptable (postings refuse it with the same message); the accounting period holding today is Normal; any other
 * day of an open period is Acceptable. Sage classifies by the company's own settings, which the sandbox's posting
 * rule overrides (README, Fidelity).
 */
import { businessDate } from '../world/calendar.ts';
import type { LedgerBooks } from './books.ts';

/** Sage's `/transaction_date_validation_classifications` members. */
export type DateClassification = 'Normal' | 'Acceptable' | 'Unacceptable';

export interface DateVerdict {
  classification: DateClassification;
  /** Why the day is not Normal: for Unacceptable, the very message a posting is refused with. Blank when Normal. */
  message: string;
}

/** How a posting dated `day` (named `field` in the message) would be taken, with `today` on the sandbox clock. */
export function classifyDay(day: number, today: number, books: LedgerBooks, field: string): DateVerdict {
  const date = businessDate(day).slice(0, 10);
  const period = books.periodOfDay(day);
  if (!period) {
    return {
      classification: 'Unacceptable',
      message: `The ${field} ${date} is outside the company's financial years.`,
    };
  }
  const year = Number(period.year_relative_to_current_year);
  if (year < 0) {
    return {
      classification: 'Unacceptable',
      message: `The ${field} ${date} is in a closed financial year (its year end has been run); post to a period of the current or a future year.`,
    };
  }
  if (year > 0) {
    return { classification: 'Acceptable', message: `The ${field} ${date} is in a future financial year.` };
  }
  const current = books.periodOfDay(today);
  if (current && current.accounting_period_id === period.accounting_period_id) {
    return { classification: 'Normal', message: '' };
  }
  return {
    classification: 'Acceptable',
    message: `The ${field} ${date} is not in the current accounting period.`,
  };
}
