import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstPositions, smallestNumbers } from './top-k.ts';

describe('smallestNumbers', () => {
  it('is the first k of a full sort, for any k', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 200 }),
        fc.nat(220),
        (values, k) => {
          const sorted = [...values].sort((a, b) => a - b).slice(0, k);
          expect([...smallestNumbers(Float64Array.from(values), k)]).toEqual(sorted);
        },
      ),
    );
  });
});

describe('firstPositions', () => {
  it('is the first k of a stable full sort, ties kept in position order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 200 }), fc.nat(220), (values, k) => {
        const compare = (a: number, b: number) => (values[a] as number) - (values[b] as number) || a - b;
        const sorted = values
          .map((_, i) => i)
          .sort(compare)
          .slice(0, k);
        expect(firstPositions(values.length, k, compare)).toEqual(sorted);
      }),
    );
  });
});
