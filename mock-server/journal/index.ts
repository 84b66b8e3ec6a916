/** The bounded request journal and the middleware that fills it (docs/faults-and-journal.md). */
export type { JournalEnv, JournalMiddlewareDeps } from './middleware.ts';
export { elapsedMs, JOURNAL_PATH, journalPath, recordRequests, requestRecord } from './middleware.ts';
export type { QueryRecord } from './redaction.ts';
export { REDACTED, SECRET_HEADERS, SECRET_QUERY_PARAMETERS } from './redaction.ts';
export type {
  JournalEntry,
  JournalFault,
  JournalQuery,
  RequestFacts,
  StatusFilter,
} from './request-journal.ts';
export { RequestJournal } from './request-journal.ts';
export { RingBuffer } from './ring-buffer.ts';
