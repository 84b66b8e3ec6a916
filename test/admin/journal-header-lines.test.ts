/**
 * Node's raw header list as a journal entry keeps it (journal/redaction.ts, rawHeaderLines): credentials replaced
 * as recorded. Calls with the same headers share the lines of the last one, so a call whose headers differ must
 * never get the last call's lines, and a credential must never be kept.
 */
import { describe, expect, it } from 'vitest';
import { rawHeaderLines, shownHeaders } from '../../mock-server/journal/redaction.ts';

const call = (token: string, company: string) => [
  'Host',
  '127.0.0.1:3200',
  'Authorization',
  `Bearer ${token}`,
  'X-Site',
  'site-1',
  'X-Company',
  company,
];

describe('the header lines of a journal entry', () => {
  it('replaces credentials, and keeps each call its own headers when they change from call to call', () => {
    const first = rawHeaderLines(call('secret-one', '1'));
    expect(first).toBe('Host\n127.0.0.1:3200\nAuthorization\n[redacted]\nX-Site\nsite-1\nX-Company\n1');
    const again = rawHeaderLines(call('secret-one', '1'));
    expect(again).toBe(first);
    const second = rawHeaderLines(call('secret-one', '2'));
    expect(shownHeaders(second)).toEqual({
      host: '127.0.0.1:3200',
      authorization: '[redacted]',
      'x-site': 'site-1',
      'x-company': '2',
    });
    expect(shownHeaders(rawHeaderLines(call('secret-two', '1')))['x-company']).toBe('1');
    expect(rawHeaderLines(['Host', 'a', 'X-Extra', 'b'])).toBe('Host\na\nX-Extra\nb');
    for (const lines of [first, again, second]) expect(lines).not.toContain('secret');
  });

  it('gives no lines for no headers, and then the next call its own', () => {
    expect(rawHeaderLines([])).toBe('');
    expect(rawHeaderLines(['Cookie', 'session=secret'])).toBe('Cookie\n[redacted]');
  });
});
