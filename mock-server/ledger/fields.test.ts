import { describe, expect, it } from 'vitest';
import { dayOf } from '../world/calendar.ts';
import { dayOfField, pence } from './fields.ts';

describe('pence', () => {
  it.each([
    [1.15, 115],
    [0.1, 10],
    [19.99, 1999],
    [1234567.89, 123456789],
    [999_999_999_999.99, 99_999_999_999_999],
    [-0, 0],
  ])('reads %s pounds as %s pence exactly', (pounds, expected) => {
    expect(Object.is(pence(pounds, 'value'), expected)).toBe(true);
  });

  it.each([
    [2.675, 'at most two decimal places'],
    [0.0000001, 'at most two decimal places'],
    [-0.01, 'must not be negative'],
    [1_000_000_000_000, 'must not be more than'],
  ])('refuses %s', (pounds, message) => {
    expect(() => pence(pounds, 'value')).toThrow(message);
  });
});

describe('dayOfField', () => {
  it.each(['2026-03-01', '2026-03-01T00:00:00', '2026-03-01T23:59:59.123Z', '2026-03-01T10:00+01:00'])(
    'takes the date part of %s',
    (text) => {
      expect(dayOfField(text, 'transaction_date')).toBe(dayOf('2026-03-01'));
    },
  );

  it.each(['2026-13-01', '2026-02-29', '2026-03-01T24:00:00', '01/03/2026', '2026-3-1', ''])(
    'refuses %j',
    (text) => {
      expect(() => dayOfField(text, 'transaction_date')).toThrow(
        "to type 'System.DateTime'. Path 'transaction_date'.",
      );
    },
  );
});
