export { CollectionTable } from './collection-table.ts';
export { recordJson, recordsJson } from './record-json.ts';
export type { Change, ChangeSet, Journal, TableName } from './store.ts';
export { CompanyStore, INDEXED_FIELDS, SiteStore, Store, sageIdSubject } from './store.ts';
