/**
 * Writes to cash book bank accounts (Sage's cash-book.json `/banks`): a unique `code`, nominal accounts that exist,
 * contact channels and memos kept item by item, balances as the ledger derives them. An account with posted
 * transactions cannot be deleted.
 */

import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import { blankRecord } from '../world/fields.ts';
import type { JsonValue, SageRecord } from '../world/model.ts';
import { stampRecord, withDefaults } from './records.ts';
import { companyDefaults } from './traders.ts';
import { put, requireNominal, requireReference, requireUnique, type WritableResource } from './writable.ts';

const NOMINAL_LINKS = ['bank_account_nominal', 'bank_charges_nominal', 'exchange_diff_nominal'] as const;
const ITEM_LISTS = ['bank_contacts', 'emails', 'memos', 'websites'] as const;

const banks: WritableResource = {
  definition: loadCatalog().resource('banks'),
  create: true,
  update: true,
  remove: true,
  start(ctx) {
    const record = withDefaults(blankRecord('banks', ctx.now), ctx.schema('Bank'));
    record.account_currency_id = companyDefaults(ctx).currency?.id ?? null;
    return record;
  },
  prepare(record, previous, ctx) {
    requireUnique(ctx, record, 'banks', 'code', 'bank account');
    requireReference(ctx, record, 'account_currency_id', 'currencies', 'currency');
    for (const link of NOMINAL_LINKS) {
      requireNominal(
        ctx,
        record[`${link}_reference`],
        record[`${link}_cost_centre`],
        record[`${link}_department`],
        `${link}_reference`,
      );
    }
    const posted = (
      ctx.company.table('bank_posted_transactions').lookup('bank_id', previous?.id as number) ?? []
    ).length;
    if (previous && previous.account_currency_id !== record.account_currency_id && posted > 0) {
      throw badRequest('The account_currency_id of a bank account with transactions cannot be changed.');
    }
    return () => {
      stampRecord(record, previous, ctx.schema('Bank'), ctx.now, () => ctx.company.reserveId());
      const id = record.id ?? null;
      for (const list of ITEM_LISTS) {
        const items = record[list];
        if (!Array.isArray(items)) continue;
        record[list] = items.map((item): JsonValue => {
          const entry: SageRecord = { ...(item as SageRecord), bank_id: id };
          if (list === 'memos' && entry.created_by === '') entry.created_by = ctx.user.email.slice(0, 20);
          return entry;
        });
      }
      return { record, changes: [put('banks', record)] };
    };
  },
  prepareDelete(record, ctx) {
    if (
      (ctx.company.table('bank_posted_transactions').lookup('bank_id', record.id as number) ?? []).length > 0
    ) {
      throw badRequest(
        `The bank account '${String(record.code)}' cannot be deleted because it has transactions.`,
      );
    }
    return [];
  },
};

export const bankResources: readonly WritableResource[] = [banks];
