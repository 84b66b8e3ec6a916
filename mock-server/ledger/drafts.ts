/** What the posting engine takes: a validated posting, its documents in the seed's `Doc` terms (integer pence). */
import type { PostingDoc } from '../seed/posting.ts';
import type { SageRecord } from '../world/model.ts';

/** A document of a posting before it has a URN, an instant and a user. */
export type DocumentDraft = Omit<PostingDoc, 'urn' | 'ms' | 'updatedMs' | 'userName'>;

/** The ledger account a trader posting goes to. */
export type AccountTable = 'customers' | 'suppliers';

/** A validated posting, ready for `postDraft`. */
export type Draft =
  | {
      /** An invoice, credit note, receipt or payment on a customer's or supplier's account (SI SC SR PI PC PP). */
      type: 'trader';
      doc: DocumentDraft;
      table: AccountTable;
      account: SageRecord;
      /** Fields of the posted transaction that the body sets beyond the document (in document sign). */
      fields: SageRecord;
      /** Tax discount per tax line, pence, positive (document sign applied by the engine). */
      taxDiscounts: number[];
      /** A purchase invoice or credit note above the authorisation threshold: posted to Unauthorised Purchases. */
      awaitingAuthorisation?: true;
    }
  | {
      /** A nominal payment or receipt on a bank account (BP BR). */
      type: 'cash';
      doc: DocumentDraft;
    }
  | {
      /** A transfer: a payment out of one bank and a receipt into another, under one URN. */
      type: 'transfer';
      payment: DocumentDraft;
      receipt: DocumentDraft;
      /** Sage answers a transfer with the transfer itself, its defaults filled in. */
      response: SageRecord;
    };
