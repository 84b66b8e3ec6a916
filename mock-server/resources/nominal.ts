/**
 * Writes to the chart of accounts: nominal codes, cost centres and departments (Sage's nominal.json). A nominal
 * account is identified by reference, cost centre and department together; one with postings keeps its identity
 * and cannot be deleted; a cost centre or department in use cannot be deleted.
 */

import { loadCatalog } from '../../contracts/index.ts';
import { badRequest } from '../errors.ts';
import { periodValueRow } from '../seed/derive.ts';
import type { Change } from '../store/index.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import { stampRecord, withDefaults } from './records.ts';
import {
  put,
  requireReference,
  requireUnique,
  type WritableResource,
  type WriteContext,
} from './writable.ts';

const blankCoded = (ctx: WriteContext, table: 'cost_centres' | 'departments'): SageRecord | undefined =>
  ctx.company
    .table(table)
    .all()
    .find((r) => r.code === '');

/** Whether anything has been posted to the account: nominal entries, or a non-zero period value. */
function hasPostings(ctx: WriteContext, id: number): boolean {
  if (ctx.company.company.nominal_entries.some((entry) => entry.nominal_code_id === id)) return true;
  return (ctx.company.table('nominal_period_value_views').lookup('nominal_code_id', id) ?? []).some(
    (row) => row.nominal_period_value_actual_value !== 0,
  );
}

/** What else names the account by id or by its reference triple, in Sage's words; undefined when nothing does. */
function usedBy(ctx: WriteContext, account: SageRecord): string | undefined {
  const id = account.id;
  const triple = (reference: unknown, cc: unknown, dept: unknown): boolean =>
    reference === account.reference &&
    String(cc ?? '') === String(account.cost_centre_code) &&
    String(dept ?? '') === String(account.department_code);
  const banks = ctx.company.table('banks').all();
  if (
    banks.some(
      (b) =>
        triple(
          b.bank_account_nominal_reference,
          b.bank_account_nominal_cost_centre,
          b.bank_account_nominal_department,
        ) ||
        triple(
          b.bank_charges_nominal_reference,
          b.bank_charges_nominal_cost_centre,
          b.bank_charges_nominal_department,
        ) ||
        triple(
          b.exchange_diff_nominal_reference,
          b.exchange_diff_nominal_cost_centre,
          b.exchange_diff_nominal_department,
        ),
    )
  ) {
    return 'a bank account';
  }
  const stock = (r: SageRecord): boolean =>
    r.stock_nominal_code_id === id || r.revenue_nominal_code_id === id;
  if (
    ctx.company.table('products').all().some(stock) ||
    ctx.company.table('product_groups').all().some(stock)
  ) {
    return 'a product';
  }
  const traders = [...ctx.company.table('customers').all(), ...ctx.company.table('suppliers').all()];
  if (traders.some((t) => t.default_nominal_code_id === id)) return 'a customer or supplier';
  return undefined;
}

/** The account fields `nominal_period_value_views` repeats (mock-server/seed/derive.ts `periodValueRow`). */
function viewFields(code: SageRecord): SageRecord {
  return {
    nominal_code_account_number_cost_centre_id: code.cost_centre_id ?? null,
    nominal_code_cost_centre_id: code.cost_centre_id ?? null,
    nominal_code_department_id: code.department_id ?? null,
    nominal_code_report_category_id: code.report_category_id ?? null,
    nominal_code_name: code.name ?? '',
    nominal_code_reference: code.reference ?? '',
    nominal_code_cost_centre: code.cost_centre_code ?? '',
    nominal_code_department: code.department_code ?? '',
    nominal_code_account_status_type: code.account_status_type ?? '',
  };
}

/**
 * The period value rows that follow a nominal code's write, so every account keeps one row per period of the
 * past and current years (mock-server/seed/README.md): zero rows for a new account, the repeated fields for a changed one.
 */
function periodValueChanges(
  record: SageRecord,
  previous: SageRecord | undefined,
  ctx: WriteContext,
): Change[] {
  const table = 'nominal_period_value_views';
  if (!previous) {
    return ctx.company
      .table('financial_year_period_views')
      .all()
      .filter((period) => Number(period.year_relative_to_current_year) <= 0)
      .map((period) => ({
        kind: 'put',
        table,
        record: periodValueRow(record, period, ctx.company.reserveId(), ctx.now, 0),
      }));
  }
  const fields = viewFields(record);
  const rows = ctx.company.table(table).lookup('nominal_code_id', record.id as number) ?? [];
  return rows
    .filter((row) => Object.entries(fields).some(([name, value]) => row[name] !== value))
    .map((row) => ({ kind: 'put', table, record: { ...row, ...fields } }));
}

const nominalCodes: WritableResource = {
  definition: loadCatalog().resource('nominal_codes'),
  create: true,
  update: true,
  remove: true,
  template: { path: 'nominal_codes_new' },
  start(ctx) {
    const record = withDefaults(blankRecord('nominal_codes', ctx.now), ctx.schema('NominalCode'));
    const cc = blankCoded(ctx, 'cost_centres');
    const dept = blankCoded(ctx, 'departments');
    record.cost_centre_id = cc?.id ?? null;
    record.department_id = dept?.id ?? null;
    record.allow_manual_journal_entries = true;
    // Required and not nullable in Sage's schema: the template carries 0 until the client picks a category.
    record.report_category_id = 0;
    return record;
  },
  prepare(record, previous, ctx) {
    requireReference(
      ctx,
      record,
      'report_category_id',
      'nominal_report_categories',
      'nominal report category',
    );
    const cc = requireReference(ctx, record, 'cost_centre_id', 'cost_centres', 'cost centre');
    const dept = requireReference(ctx, record, 'department_id', 'departments', 'department');
    record.cost_centre_code = String(cc?.code ?? '');
    record.department_code = String(dept?.code ?? '');
    const reference = String(record.reference);
    const twin = (ctx.company.table('nominal_codes').lookup('reference', reference) ?? []).find(
      (n) =>
        n.id !== record.id &&
        n.reference === reference &&
        n.cost_centre_code === record.cost_centre_code &&
        n.department_code === record.department_code,
    );
    if (twin) {
      throw badRequest(
        `The nominal code '${reference}' with cost centre '${record.cost_centre_code}' and department '${record.department_code}' already exists.`,
      );
    }
    const moved =
      previous &&
      (previous.reference !== record.reference ||
        previous.cost_centre_id !== record.cost_centre_id ||
        previous.department_id !== record.department_id);
    if (moved && hasPostings(ctx, previous.id as number)) {
      throw badRequest(
        `The reference, cost centre and department of nominal code '${String(previous.reference)}' cannot be changed because it has postings.`,
      );
    }
    return () => {
      stampRecord(record, previous, ctx.schema('NominalCode'), ctx.now, () => ctx.company.reserveId());
      return {
        record,
        changes: [put('nominal_codes', record), ...periodValueChanges(record, previous, ctx)],
      };
    };
  },
  prepareDelete(record, ctx) {
    const name = `The nominal code '${String(record.reference)}'`;
    if (hasPostings(ctx, record.id as number))
      throw badRequest(`${name} cannot be deleted because it has postings.`);
    const user = usedBy(ctx, record);
    if (user) throw badRequest(`${name} cannot be deleted because ${user} uses it.`);
    // Its period value rows (all zero, as it has no postings) go with it.
    return (
      ctx.company.table('nominal_period_value_views').lookup('nominal_code_id', record.id as number) ?? []
    ).map((row) => ({
      kind: 'delete',
      table: 'nominal_period_value_views',
      id: row.nominal_period_value_id as number,
    }));
  },
};

/** Cost centres and departments: the second and third parts of a nominal account's identity. */
function segmentResource(table: 'cost_centres' | 'departments'): WritableResource {
  const definition = loadCatalog().resource(table);
  const idField = table === 'cost_centres' ? 'cost_centre_id' : 'department_id';
  return {
    definition,
    create: true,
    update: true,
    remove: true,
    bulkUpdate: true,
    start(ctx) {
      return withDefaults(blankRecord(table, ctx.now), ctx.schema(definition.schema));
    },
    prepare(record, previous, ctx) {
      requireUnique(ctx, record, table, 'code', definition.noun);
      return () => {
        stampRecord(record, previous, ctx.schema(definition.schema), ctx.now, () => ctx.company.reserveId());
        return { record, changes: [put(table, record)] };
      };
    },
    prepareDelete(record, ctx) {
      if (
        ctx.company
          .table('nominal_codes')
          .all()
          .some((n) => n[idField] === record.id)
      ) {
        throw badRequest(
          `The ${definition.noun} '${String(record.code)}' cannot be deleted because nominal codes use it.`,
        );
      }
      return [];
    },
  };
}

export const nominalResources: readonly WritableResource[] = [
  nominalCodes,
  segmentResource('cost_centres'),
  segmentResource('departments'),
];
