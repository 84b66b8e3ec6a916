/**
 * The one validator of write bodies (CRUD and postings): the contract compiled with Ajv, Sage's record rules, and
 * one mapping of problems to Sage's wording.
 */
export type { RecordWrite } from './record-rules.ts';
export type { WriteValidator } from './write-validator.ts';
export { checkPosting, createWriteValidator, writeValidator } from './write-validator.ts';
