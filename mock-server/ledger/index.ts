/** The posting engine behind the Sage 200 posting endpoints (invoices, credit notes, receipts, payments, cash book). */
export type { AllocationContext, AllocationResult } from './allocations.ts';
export { allocate } from './allocations.ts';

export type { Authorisation, AuthorisationLine } from './authorisation.ts';
export { authorisePurchase, unauthorisedPurchasesAccount } from './authorisation.ts';
export { dayOfDate, LedgerBooks, postingNominal } from './books.ts';
export type { DateClassification, DateVerdict } from './dates.ts';
export { classifyDay } from './dates.ts';
export type { AccountTable, DocumentDraft, Draft } from './drafts.ts';
export type { IdSource, PostingContext, PostingResult } from './engine.ts';
export { derivedChanges, postDraft } from './engine.ts';
export { dayOfField, money, pence, rate } from './fields.ts';
export type { PostingPath, RequestContext } from './requests.ts';
export { POSTINGS } from './requests.ts';
export { currentYearEnd, YearEndWatch, yearEndChanges } from './year-end.ts';
