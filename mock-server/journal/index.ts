/** The bounded request journal and the middleware that fills it (docs/faults-and-journal.md). */
export type { JournalEnv, JournalMiddlewareDeps } from './middleware.ts';
export { JOURNAL_PATH, recordRequests } from './middleware.ts';
export type { QueryRecord } from './redaction.ts';
export { REDACTED, SECRET_HEADERS, SECRET_QUERY_PARAMETERS } from './redaction.ts';
export type { JournalEntry, JournalFault, JournalQuery, StatusFilter } from './request-journal.ts';
export { RequestJournal } from './request-journal.ts';
export { RingBuffer } from './ring-buffer.ts';
