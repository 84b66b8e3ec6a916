/**
 * The write validator on a small contract of its own: the first problem in schema order, whatever the body's
 * order; a required field reported at its place, after its value's own problem; the record rules (read-only,
 * server stamps, navigation properties, inline item ids); an enum reached through a `$ref` to a component; .NET
 * ranges; and the patch a valid body makes.
 */
import { describe, expect, it } from 'vitest';
import { BUSINESS_DATE_PATTERN, type OpenApiDocument } from '../../contracts/index.ts';
import type { SageRecord } from '../world/model.ts';
import { createWriteValidator } from './write-validator.ts';

const doc: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'test', version: '1' },
  paths: {},
  components: {
    schemas: {
      Status: { type: 'string', maxLength: 20, enum: ['StatusLive', 'StatusHidden'] },
      Account: {
        type: 'object',
        allOf: [{ $ref: '#/components/schemas/AccountFields' }],
        required: ['code', 'name'],
      },
      AccountFields: {
        type: 'object',
        properties: {
          id: { type: 'integer', format: 'int64', readOnly: true },
          code: { type: 'string', maxLength: 8 },
          name: { type: 'string', maxLength: 60 },
          status: { $ref: '#/components/schemas/Status' },
          balance: { type: 'number', format: 'decimal 2dp', readOnly: true },
          limit: { type: 'number', format: 'decimal 2dp' },
          days: { type: 'integer', format: 'int16' },
          opened: { type: ['string', 'null'], format: 'date-time-local', pattern: BUSINESS_DATE_PATTERN },
          parent: { $ref: '#/components/schemas/Account', readOnly: true, 'x-sage-expandable': true },
          emails: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'integer', format: 'int64', readOnly: true },
                email: { type: 'string', maxLength: 10 },
              },
            },
          },
          date_time_updated: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      Payment: {
        type: 'object',
        required: ['account_id'],
        properties: {
          account_id: { type: 'integer', format: 'int64' },
          reference: { type: 'string', maxLength: 20 },
          is_eu_trader: { type: 'boolean', readOnly: true },
          lines: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id'],
              properties: { id: { type: 'integer', format: 'int64' }, value: { type: 'number' } },
            },
          },
        },
      },
    },
  },
};

const validator = createWriteValidator(doc);
const stored: SageRecord = {
  id: 7,
  code: 'A1',
  name: 'Acme',
  status: 'StatusLive',
  balance: 12.5,
  emails: [{ id: 70, email: 'a@b.test' }],
  date_time_updated: '2026-01-01T00:00:00Z',
};

const create = (body: Record<string, unknown>) =>
  validator.checkRecord('Account', body, { mode: 'create', current: {} });
const update = (body: Record<string, unknown>) =>
  validator.checkRecord('AccountFields', body, { mode: 'update', current: stored });

describe('the write validator', () => {
  it('reports the first problem in the schema’s property order, not the body’s', () => {
    expect(() => create({ days: 'x', name: 'N'.repeat(61), code: 'TOO-LONG-CODE' })).toThrow(
      'The field code must be a string with a maximum length of 8.',
    );
  });

  it('reports a missing required field at its place, after its value’s own problem', () => {
    expect(() => create({ name: 'N'.repeat(61) })).toThrow('The code field is required.');
    expect(() => create({ code: '  ', name: 'N' })).toThrow('The code field is required.');
    expect(() => create({ code: null, name: 'N' })).toThrow(
      "Error converting value {null} to type 'System.String'. Path 'code'.",
    );
    expect(() =>
      validator.checkRecord('Account', {}, { mode: 'create', current: {}, required: ['name'] }),
    ).toThrow('The name field is required.');
  });

  it('words an enum reached through a $ref like any enum, after its maxLength', () => {
    expect(() => update({ status: 'StatusGone' })).toThrow(
      "The value 'StatusGone' is not valid for status. Valid values: StatusLive, StatusHidden.",
    );
    expect(() => update({ status: 'S'.repeat(21) })).toThrow(
      'The field status must be a string with a maximum length of 20.',
    );
    expect(() => update({ status: 3 })).toThrow(
      "Error converting value 3 to type 'System.String'. Path 'status'.",
    );
  });

  it('refuses what .NET cannot hold', () => {
    expect(() => update({ days: 40_000 })).toThrow(
      "Error converting value 40000 to type 'System.Int16'. Path 'days'.",
    );
    expect(() => update({ limit: 1e308 })).toThrow(
      "Error converting value 1e+308 to type 'System.Decimal'. Path 'limit'.",
    );
    expect(() => update({ limit: 2 ** 96 })).toThrow("to type 'System.Decimal'");
    expect(update({ limit: 2 ** 95 })).toEqual({ limit: 2 ** 95 });
    expect(() => update({ opened: '2026-02-30' })).toThrow(
      `Error converting value "2026-02-30" to type 'System.DateTime'. Path 'opened'.`,
    );
  });

  it('refuses a changed read-only field before looking at its value, and takes one sent back unchanged', () => {
    expect(() => update({ balance: 'lots' })).toThrow('The field balance is read-only.');
    expect(update({ id: 7, balance: 12.5, name: 'Acme Two' })).toEqual({ name: 'Acme Two' });
  });

  it('ignores server stamps and navigation properties, whatever they hold', () => {
    expect(update({ date_time_updated: 'garbage', parent: null, name: 'B' })).toEqual({ name: 'B' });
  });

  it('matches inline items by id, and names an id the record lacks', () => {
    expect(update({ emails: [{ id: 70, email: 'c@d.test' }, { email: 'e@f.test' }] })).toEqual({
      emails: [{ id: 70, email: 'c@d.test' }, { email: 'e@f.test' }],
    });
    expect(() => update({ emails: [{ id: 71, email: 5 }] })).toThrow(
      "No item was found with the Id '71' given in emails[0].id.",
    );
    expect(() => update({ emails: [{ email: 'much-too-long@x.test' }] })).toThrow(
      'The field emails[0].email must be a string with a maximum length of 10.',
    );
  });

  it('returns the patch with business dates at midnight and decimals at their places', () => {
    expect(create({ code: 'B1', name: 'B', opened: '2026-03-01T10:30:00Z', limit: 1.005, extra: 1 })).toEqual(
      {
        code: 'B1',
        name: 'B',
        opened: '2026-03-01T00:00:00',
        limit: 1.01,
      },
    );
  });

  it('names fields after a prefix', () => {
    expect(() =>
      validator.checkRecord('AccountFields', { days: 1.5 }, { mode: 'update', current: {} }, 'lines[2].'),
    ).toThrow("Error converting value 1.5 to type 'System.Int16'. Path 'lines[2].days'.");
  });

  it('checks a posting without a stored record: read-only fields are data, an item id is a field', () => {
    const body = { account_id: 1, is_eu_trader: true, lines: [{ id: 5, value: 1.5 }] };
    expect(() => validator.checkBody('Payment', body)).not.toThrow();
    expect(() => validator.checkBody('Payment', { account_id: 1, lines: [{ value: 1 }] })).toThrow(
      'The lines[0].id field is required.',
    );
    expect(() => validator.checkBody('Payment', [])).toThrow(
      "Error converting value [] to type 'System.Object'. Path ''.",
    );
  });
});
