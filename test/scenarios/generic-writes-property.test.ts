/**
 * Property: any sequence of courier and customer memo writes (creates, updates, collection PUTs and deletes, valid
 * or not) is answered as a plain model of the rules predicts: a name is unique without case and at most 60
 * characters, a courier named on a despatch receipt stays, one courier at most is the default, a memo needs a
 * customer and stays on it. Each refusal changes nothing it could touch, byte for byte, and afterwards the lists (flat and under
 * each customer) serve exactly what the model holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { testSandbox, USERS } from '../support/sandbox.ts';
import { type Writer, writerFor } from '../support/writes.ts';

const NAMES = ['Royal Mail', 'ROYAL MAIL', 'Night Freight', 'night freight', 'Parcel Co', 'x'.repeat(61)];
const NOTES = ['Call first', 'Deliver to rear door', 'y'.repeat(1001)];

const command = fc.oneof(
  fc.record({
    type: fc.constant('createCourier' as const),
    name: fc.constantFrom(...NAMES),
    isDefault: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('updateCourier' as const),
    pick: fc.nat(),
    name: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
    isDefault: fc.option(fc.boolean(), { nil: undefined }),
  }),
  fc.record({
    type: fc.constant('bulkCouriers' as const),
    // Consecutive couriers from `pick` on (an id named twice is the example tests' case).
    pick: fc.nat(),
    names: fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ type: fc.constant('deleteCourier' as const), pick: fc.nat() }),
  fc.record({
    type: fc.constant('createMemo' as const),
    customer: fc.option(fc.nat(), { nil: undefined }),
    note: fc.constantFrom(...NOTES),
  }),
  fc.record({
    type: fc.constant('updateMemo' as const),
    pick: fc.nat(),
    note: fc.constantFrom(...NOTES),
    move: fc.boolean(),
  }),
  fc.record({ type: fc.constant('deleteMemo' as const), pick: fc.nat() }),
);
type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

interface Courier {
  name: string;
  is_default: boolean;
}
interface Memo {
  customer_id: number;
  note: string;
}

/** What the rules say the company holds: couriers and customer memos by id. */
interface Model {
  couriers: Map<number, Courier>;
  memos: Map<number, Memo>;
  customers: readonly number[];
  /** Couriers named on despatch receipts, which no write here changes. */
  used: ReadonlySet<number>;
}

const at = <T>(items: readonly T[], pick: number): T | undefined => items[pick % Math.max(items.length, 1)];
const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);

function nameFree(model: Model, name: string, except: readonly number[]): boolean {
  return ![...model.couriers].some(
    ([id, c]) => !except.includes(id) && c.name.toLowerCase() === name.toLowerCase(),
  );
}

function makeDefault(model: Model, id: number): void {
  for (const [other, courier] of model.couriers) courier.is_default = other === id;
}

/**
 * What these writes could touch: the collections they write or read, and the id counter. (The whole company's bytes,
 * as the example tests compare them, take too long to serialise for every refusal of every run.)
 */
function snapshot(writer: Writer): string {
  const tables = ['couriers', 'customer_memos', 'customers', 'sop_despatch_receipts'] as const;
  return JSON.stringify([
    writer.company.company.next_id,
    ...tables.map((t) => writer.company.table(t).all()),
  ]);
}

/** Sends the command and checks the answer against the model's prediction; updates the model on success. */
async function run(writer: Writer, model: Model, cmd: Command): Promise<void> {
  const send = async (method: string, path: string, body: unknown, expected: boolean) => {
    // Only a refusal the model predicts needs the bytes before; any other surprise fails on the status.
    const before = expected ? undefined : snapshot(writer);
    const answer = await writer.send(method, path, body);
    const shown = `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)}: ${answer.status} ${JSON.stringify(answer.body)}`;
    expect(answer.status === 200, shown).toBe(expected);
    if (before !== undefined) expect(snapshot(writer)).toBe(before);
    return answer.body as SageRecord;
  };
  const courierIds = sorted(model.couriers.keys());
  const memoIds = sorted(model.memos.keys());
  switch (cmd.type) {
    case 'createCourier': {
      const ok = cmd.name.length <= 60 && nameFree(model, cmd.name, []);
      const made = await send('POST', '/couriers', { name: cmd.name, is_default: cmd.isDefault }, ok);
      if (!ok) return;
      model.couriers.set(made.id as number, { name: cmd.name, is_default: false });
      if (cmd.isDefault) makeDefault(model, made.id as number);
      return;
    }
    case 'updateCourier': {
      const id = at(courierIds, cmd.pick);
      if (id === undefined) return;
      const body = {
        ...(cmd.name === undefined ? {} : { name: cmd.name }),
        ...(cmd.isDefault === undefined ? {} : { is_default: cmd.isDefault }),
      };
      const ok = cmd.name === undefined || (cmd.name.length <= 60 && nameFree(model, cmd.name, [id]));
      await send('PUT', `/couriers/${id}`, body, ok);
      if (!ok) return;
      const courier = model.couriers.get(id)!;
      if (cmd.name !== undefined) courier.name = cmd.name;
      if (cmd.isDefault === true) makeDefault(model, id);
      if (cmd.isDefault === false) courier.is_default = false;
      return;
    }
    case 'bulkCouriers': {
      const items = cmd.names
        .slice(0, courierIds.length)
        .map((name, i) => ({ id: at(courierIds, cmd.pick + i)!, name }));
      const ok =
        new Set(items.map((item) => item.name.toLowerCase())).size === items.length &&
        items.every((item) => item.name.length <= 60 && nameFree(model, item.name, [item.id]));
      await send('PUT', '/couriers', items, ok);
      if (ok) for (const item of items) model.couriers.get(item.id)!.name = item.name;
      return;
    }
    case 'deleteCourier': {
      const id = at(courierIds, cmd.pick);
      if (id === undefined) return;
      const ok = !model.used.has(id);
      await send('DELETE', `/couriers/${id}`, undefined, ok);
      if (ok) model.couriers.delete(id);
      return;
    }
    case 'createMemo': {
      const customer = cmd.customer === undefined ? 987654321 : at(model.customers, cmd.customer)!;
      const ok = cmd.customer !== undefined && cmd.note.length <= 1000;
      const made = await send('POST', '/customer_memos', { customer_id: customer, note: cmd.note }, ok);
      if (ok) model.memos.set(made.id as number, { customer_id: customer, note: cmd.note });
      return;
    }
    case 'updateMemo': {
      const id = at(memoIds, cmd.pick);
      if (id === undefined) return;
      const memo = model.memos.get(id)!;
      const other = model.customers.find((c) => c !== memo.customer_id)!;
      const body = { note: cmd.note, ...(cmd.move ? { customer_id: other } : {}) };
      const ok = !cmd.move && cmd.note.length <= 1000;
      await send('PUT', `/customer_memos/${id}`, body, ok);
      if (ok) memo.note = cmd.note;
      return;
    }
    case 'deleteMemo': {
      const id = at(memoIds, cmd.pick);
      if (id === undefined) return;
      await send('DELETE', `/customer_memos/${id}`, undefined, true);
      model.memos.delete(id);
      return;
    }
    default: {
      const never: never = cmd;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

async function expectListsAgree(writer: Writer, model: Model): Promise<void> {
  const couriers = await writer.ok<SageRecord[]>('GET', '/couriers');
  expect(
    Object.fromEntries(couriers.map((c) => [String(c.id), { name: c.name, is_default: c.is_default }])),
  ).toEqual(Object.fromEntries([...model.couriers].map(([id, c]) => [String(id), c])));
  expect(couriers.filter((c) => c.is_default === true).length).toBeLessThanOrEqual(1);
  const memos = await writer.ok<SageRecord[]>('GET', '/customer_memos?$top=5000');
  expect(
    Object.fromEntries(memos.map((m) => [String(m.id), { customer_id: m.customer_id, note: m.note }])),
  ).toEqual(Object.fromEntries([...model.memos].map(([id, m]) => [String(id), m])));
  for (const customer of new Set([...model.memos.values()].map((m) => m.customer_id))) {
    const nested = await writer.ok<SageRecord[]>('GET', `/customers/${customer}/customer_memos`);
    expect(sorted(nested.map((m) => m.id as number))).toEqual(
      sorted([...model.memos].filter(([, m]) => m.customer_id === customer).map(([id]) => id)),
    );
  }
}

describe('random courier and memo writes follow the rules and keep the lists agreeing', () => {
  it('on a full company', async () => {
    // One sandbox for every run: each run's model starts from what the runs before it left.
    const writer = await writerFor(testSandbox(), USERS.full);
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (commands) => {
        const { company } = writer;
        const model: Model = {
          couriers: new Map(
            company
              .table('couriers')
              .all()
              .map((c) => [c.id as number, { name: String(c.name), is_default: c.is_default === true }]),
          ),
          memos: new Map(
            company
              .table('customer_memos')
              .all()
              .map((m) => [m.id as number, { customer_id: m.customer_id as number, note: String(m.note) }]),
          ),
          customers: company
            .table('customers')
            .all()
            .map((c) => c.id as number),
          used: new Set(
            company
              .table('sop_despatch_receipts')
              .all()
              .map((r) => r.courier_id as number),
          ),
        };
        for (const cmd of commands) await run(writer, model, cmd);
        await expectListsAgree(writer, model);
      }),
      { numRuns: 50, endOnFailure: true },
    );
  }, 120_000);
});
