export { CollectionTable } from './collection-table.ts';
export { recordJson, recordsJson } from './record-json.ts';
export { NDJSON_TYPE, SnapshotError, SnapshotReader, snapshotLines, worldJson } from './snapshot.ts';
export type { StateFileOptions } from './state-file.ts';
export { StateFile, StateFileError } from './state-file.ts';
export type { Change, ChangeSet, TableName, WriteAheadLog } from './store.ts';
export { CompanyStore, INDEXED_FIELDS, RECORD_KEYS, SiteStore, Store, sageIdSubject } from './store.ts';
export { captureWorld, validateWorld, WorldShapeError } from './world-shape.ts';
