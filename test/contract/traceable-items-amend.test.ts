/**
 * Amending batch and serial numbers (`POST /traceable_items_amend`): the amend question's rows sent back with new
 * numbers, references and dates change the items, which every traceable view shows at once, and nothing else: no
 * stock movement, bin or holding figure, nor nominal entry. Every refusal is a 400 in Sage's style that changes
 * nothing; a trial site is refused with 403; amendments are in the state file's write-ahead log, and parallel
 * amendments competing for the same numbers lose none and never give one number to two items.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type SandboxApp } from '../../mock-server/index.ts';
import type { CompanyStore } from '../../mock-server/store/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import {
  type Caller,
  callerFor,
  copyOfWorld,
  smallTestWorld,
  testSandbox,
  USERS,
} from '../support/sandbox.ts';
import { snapshot, type Writer, writerFor } from '../support/writes.ts';

type Row = Record<string, unknown>;
const AMEND = '/traceable_items_amend';
const QUESTION = '/traceable_items_amend_traceable_items';
const SERIAL = 'EnumTraceableTypeSerial';

/** Everything but the traceable items, as stored: what an amendment must leave alone. */
function allButItems(company: CompanyStore): string {
  const { collections, ...rest } = company.company;
  const { traceable_items: _items, ...others } = collections;
  return JSON.stringify([rest, others]);
}

/** The traceable products of the company, batch-numbered first, each with its question's rows. */
async function traceableProducts(
  writer: Writer,
): Promise<{ product: SageRecord; rows: Row[]; serial: boolean }[]> {
  const products = [
    ...new Set(
      writer.company
        .table('traceable_items')
        .all()
        .map((item) => item.product_id as number),
    ),
  ];
  const out = [];
  for (const id of products) {
    const answer = await writer.ok<Row>('POST', QUESTION, { product_id: id });
    const rows = answer.traceable_adjustment_items as Row[];
    const serial =
      writer.company.table('traceable_items').get(rows[0]?.traceable_item_id as number)?.traceable_type ===
      SERIAL;
    out.push({ product: writer.company.table('products').get(id)!, rows, serial });
  }
  return out.filter((p) => p.rows.length > 0).sort((a, b) => Number(a.serial) - Number(b.serial));
}

describe('POST /traceable_items_amend', () => {
  let app: SandboxApp;
  let writer: Writer;
  let caller: Caller;
  let batch: { product: SageRecord; rows: Row[] };
  let serial: { product: SageRecord; rows: Row[] };
  /** A row of another batch of the product than the first row's (a batch may be in two bins). */
  let other: Row;
  beforeAll(async () => {
    app = testSandbox();
    [writer, caller] = await Promise.all([writerFor(app, USERS.full), callerFor(app, USERS.full)]);
    const products = await traceableProducts(writer);
    batch = products.find((p) => !p.serial)!;
    serial = products.find((p) => p.serial)!;
    other = batch.rows.find((r) => r.traceable_item_id !== batch.rows[0]!.traceable_item_id)!;
  });

  it('renumbers a batch and changes its reference and dates; the traceable views follow, and nothing else moves', async () => {
    const row = batch.rows[0]!;
    const id = row.traceable_item_id as number;
    const others = allButItems(writer.company);
    const answer = await writer.ok<Row>('POST', AMEND, {
      product_id: batch.product.id,
      traceable_adjustment_items: [
        {
          ...row,
          identification_no: 'RELABEL-0001',
          additional_reference: 'Relabelled',
          sell_by_date: '2027-01-31',
          use_by_date: '2027-03-01T00:00:00',
        },
      ],
    });
    expect(answer.product_id).toBe(batch.product.id);
    const rows = answer.traceable_adjustment_items as Row[];
    expect(rows.length).toBeGreaterThan(0);
    for (const amended of rows) {
      expect(amended).toMatchObject({
        traceable_item_id: id,
        identification_no: 'RELABEL-0001',
        additional_reference: 'Relabelled',
        sell_by_date: '2027-01-31T00:00:00',
        use_by_date: '2027-03-01T00:00:00',
      });
    }
    // The quantities are those the question answered: the bins hold what they held.
    const before = batch.rows.filter((r) => r.traceable_item_id === id);
    expect(rows.map((r) => [r.warehouse_name, r.bin_name, r.quantity])).toEqual(
      before.map((r) => [r.warehouse_name, r.bin_name, r.quantity]),
    );
    expect(allButItems(writer.company)).toBe(others);

    const holdings = writer.company
      .table('warehouse_holdings')
      .lookup('product_id', batch.product.id as number)!;
    const balances = (
      await Promise.all(
        holdings.map((h) =>
          caller.json<Row[]>(`/warehouse_holdings/${String(h.id)}/traceable_item_balances`),
        ),
      )
    ).flat();
    const own = balances.filter((b) => b.traceable_item_id === id);
    expect(own.length).toBe(before.length);
    expect(
      own.every((b) => b.identification_no === 'RELABEL-0001' && b.use_by_date === '2027-03-01T00:00:00'),
    ).toBe(true);
    const again = await writer.ok<Row>('POST', QUESTION, { product_id: batch.product.id });
    expect((again.traceable_adjustment_items as Row[]).filter((r) => r.traceable_item_id === id)).toEqual(
      rows,
    );
  });

  it('renumbers a serial number, and takes back a whole answer unchanged without stamping anything', async () => {
    const row = serial.rows[0]!;
    const answer = await writer.ok<Row>('POST', AMEND, {
      product_id: serial.product.id,
      traceable_adjustment_items: [{ traceable_item_id: row.traceable_item_id, identification_no: 'SNX-42' }],
    });
    expect((answer.traceable_adjustment_items as Row[])[0]).toMatchObject({
      traceable_item_id: row.traceable_item_id,
      identification_no: 'SNX-42',
      quantity: 1,
    });
    const question = await writer.ok<Row>('POST', QUESTION, { product_id: serial.product.id });
    const state = snapshot(writer.company);
    const echoed = await writer.ok<Row>('POST', AMEND, question);
    expect(echoed.traceable_adjustment_items).toEqual(question.traceable_adjustment_items);
    expect(snapshot(writer.company)).toBe(state);
  });

  it('answers an empty amendment with no items and changes nothing', async () => {
    const state = snapshot(writer.company);
    const answer = await writer.ok<Row>('POST', AMEND, { product_id: batch.product.id });
    expect(answer.traceable_adjustment_items).toEqual([]);
    expect(snapshot(writer.company)).toBe(state);
  });

  const refusals: [string, () => Row, () => string][] = [
    [
      'an unknown product',
      () => ({ product_id: 987654321 }),
      () => "No product was found with the Id '987654321' given in product_id.",
    ],
    [
      'a row without traceable_item_id',
      () => ({ product_id: batch.product.id, traceable_adjustment_items: [{ identification_no: 'X1' }] }),
      () => 'The traceable_adjustment_items[0].traceable_item_id field is required.',
    ],
    [
      'an item of another product',
      () => ({
        product_id: batch.product.id,
        traceable_adjustment_items: [
          { traceable_item_id: serial.rows[0]!.traceable_item_id, additional_reference: 'A' },
        ],
      }),
      () =>
        `No batch or serial number of the product '${String(batch.product.code)}' was found with the Id '${String(serial.rows[0]!.traceable_item_id)}' given in traceable_adjustment_items[0].traceable_item_id.`,
    ],
    [
      'a blank identification_no',
      () => ({
        product_id: batch.product.id,
        traceable_adjustment_items: [{ traceable_item_id: other.traceable_item_id, identification_no: ' ' }],
      }),
      () => 'The traceable_adjustment_items[0].identification_no field is required.',
    ],
    [
      'an identification_no longer than 30',
      () => ({
        product_id: batch.product.id,
        traceable_adjustment_items: [
          { traceable_item_id: other.traceable_item_id, identification_no: 'N'.repeat(31) },
        ],
      }),
      () =>
        'The field traceable_adjustment_items[0].identification_no must be a string with a maximum length of 30.',
    ],
    [
      "another item's number, in another case",
      () => ({
        product_id: batch.product.id,
        traceable_adjustment_items: [
          { traceable_item_id: other.traceable_item_id, identification_no: 'relabel-0001' },
        ],
      }),
      () =>
        `The batch number 'relabel-0001' is already used by another batch of the product '${String(batch.product.code)}'.`,
    ],
    [
      'one new number for two items',
      () => ({
        product_id: serial.product.id,
        traceable_adjustment_items: [
          { traceable_item_id: serial.rows[1]!.traceable_item_id, identification_no: 'SN-TWICE' },
          { traceable_item_id: serial.rows[2]!.traceable_item_id, identification_no: 'SN-TWICE' },
        ],
      }),
      () =>
        `The serial number 'SN-TWICE' is already used by another serial number of the product '${String(serial.product.code)}'.`,
    ],
    [
      'one item given two numbers',
      () => ({
        product_id: serial.product.id,
        traceable_adjustment_items: [
          { traceable_item_id: serial.rows[1]!.traceable_item_id, identification_no: 'SN-A' },
          { traceable_item_id: serial.rows[1]!.traceable_item_id, identification_no: 'SN-B' },
        ],
      }),
      () =>
        `The serial number '${String(serial.rows[1]!.identification_no)}' is given two different values of identification_no in traceable_adjustment_items.`,
    ],
    [
      'a quantity other than what the item holds in its bin',
      () => ({
        product_id: batch.product.id,
        traceable_adjustment_items: [{ ...other, quantity: (other.quantity as number) + 1 }],
      }),
      () =>
        `The batch '${String(other.identification_no)}' holds ${String(other.quantity)} in the bin '${String(other.bin_name)}' of the warehouse '${String(other.warehouse_name)}', not the ${(other.quantity as number) + 1} given in traceable_adjustment_items[0].quantity: an amendment changes batch and serial numbers, not quantities.`,
    ],
    [
      'a bin that does not hold the item',
      () => ({
        product_id: batch.product.id,
        traceable_adjustment_items: [{ traceable_item_id: other.traceable_item_id, bin_name: 'NOWHERE' }],
      }),
      () => `The batch '${String(other.identification_no)}' is not in the bin 'NOWHERE'.`,
    ],
    [
      'a sell-by date after the use-by date',
      () => ({
        product_id: batch.product.id,
        traceable_adjustment_items: [
          {
            traceable_item_id: other.traceable_item_id,
            sell_by_date: '2031-01-02',
            use_by_date: '2031-01-01',
          },
        ],
      }),
      () =>
        `The sell_by_date 2031-01-02 of the batch '${String(other.identification_no)}' is after its use_by_date 2031-01-01.`,
    ],
    [
      'split batch items',
      () => ({
        product_id: batch.product.id,
        traceable_adjustment_items: [
          {
            traceable_item_id: other.traceable_item_id,
            split_batch_items: [{ identification_no: 'PART', quantity: 1 }],
          },
        ],
      }),
      () =>
        `The batch '${String(other.identification_no)}' has its number, and a numbered batch is not split: traceable_adjustment_items[0].split_batch_items must be empty.`,
    ],
  ];

  it.each(refusals)('refuses %s with 400, changing nothing', async (_name, body, message) => {
    const state = snapshot(writer.company);
    const answer = await writer.send('POST', AMEND, body());
    expect(answer.status).toBe(400);
    expect((answer.body as Row).Message).toBe(message());
    expect(snapshot(writer.company)).toBe(state);
  });

  it('refuses a trial site with 403, changing nothing', async () => {
    const trial = await writerFor(app, USERS.trial);
    const item = trial.company.table('traceable_items').all()[0]!;
    const state = snapshot(trial.company);
    const answer = await trial.send('POST', AMEND, {
      product_id: item.product_id,
      traceable_adjustment_items: [{ traceable_item_id: item.id, identification_no: 'TRIAL-1' }],
    });
    expect(answer.status).toBe(403);
    expect(snapshot(trial.company)).toBe(state);
  });
});

describe('amendments with a state file', () => {
  it('loses none of 200 parallel amendments competing for numbers, gives no number to two items, and keeps them across a restart', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sage200-traceable-amend-'));
    const stateFile = join(root, 'world.state');
    try {
      const first = createSandbox({ world: copyOfWorld(smallTestWorld()), stateFile, freezeClock: true });
      const live = await writerFor(first, USERS.full);
      const items = live.company.table('traceable_items').all();
      const counts = new Map<unknown, number>();
      for (const item of items) counts.set(item.product_id, (counts.get(item.product_id) ?? 0) + 1);
      const productId = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
      const own = items.filter((i) => i.product_id === productId).slice(0, 40);
      const sent = Array.from({ length: 200 }, (_, k) => ({
        item: own[k % own.length]!,
        number: `PAR-${k % 25}`,
      }));
      const answers = await Promise.all(
        sent.map(({ item, number }) =>
          live.send('POST', AMEND, {
            product_id: productId,
            traceable_adjustment_items: [{ traceable_item_id: item.id, identification_no: number }],
          }),
        ),
      );
      const won = new Map<unknown, Set<string>>();
      answers.forEach((answer, k) => {
        if (answer.status === 200) {
          const { item, number } = sent[k]!;
          won.set(item.id, new Set([...(won.get(item.id) ?? []), number]));
        } else {
          expect(answer.status).toBe(400);
          expect((answer.body as Row).Message).toMatch(
            /^The (serial|batch) number 'PAR-\d+' is already used by another/,
          );
        }
      });
      expect(won.size).toBeGreaterThan(0);
      const after = live.company
        .table('traceable_items')
        .all()
        .filter((i) => i.product_id === productId);
      const numbers = after.map((i) => String(i.identification_no).toUpperCase());
      expect(new Set(numbers).size).toBe(numbers.length);
      for (const item of after) {
        const original = items.find((i) => i.id === item.id)!;
        // An acknowledged amendment is never lost: the item holds a number one gave it; the others keep theirs.
        const given = won.get(item.id);
        if (given) expect(given.has(String(item.identification_no))).toBe(true);
        else expect(item.identification_no).toBe(original.identification_no);
      }
      const stored = JSON.stringify(live.company.table('traceable_items').all());
      first.sandbox.close();

      const reopened = createSandbox({ stateFile });
      try {
        const again = await writerFor(reopened, USERS.full);
        expect(JSON.stringify(again.company.table('traceable_items').all())).toBe(stored);
      } finally {
        reopened.sandbox.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
