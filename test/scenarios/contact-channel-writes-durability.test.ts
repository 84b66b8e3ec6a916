/**
 * Durability of channel writes: a channel created as the default and the old default deleted, with the contact's
 * `default_telephone` they move, are all in the state file's write-ahead log, and a sandbox reopened from it serves
 * them unchanged. Records are found from the data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../mock-server/index.ts';
import type { CompanyStore } from '../../mock-server/store/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { copyOfWorld, smallTestWorld, USERS } from '../support/sandbox.ts';
import { writerFor } from '../support/writes.ts';

function rowsOf(company: CompanyStore, contact: SageRecord): SageRecord[] {
  return [
    ...(company.table('supplier_telephones').lookup('supplier_contact_id', contact.id as number) ?? []),
  ];
}

const contactOf = (company: CompanyStore, id: unknown): SageRecord | undefined =>
  company.table('supplier_contacts').get(id as number);

describe('channel writes with a state file', () => {
  it('keeps channel writes and the contact fields they move across a restart from the state file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sage200-channels-'));
    const stateFile = join(root, 'world.state');
    try {
      const first = createSandbox({ world: copyOfWorld(smallTestWorld()), stateFile, freezeClock: true });
      const live = await writerFor(first, USERS.full);
      const contact = live.company
        .table('supplier_contacts')
        .all()
        .find((c) => rowsOf(live.company, c).length === 1)!;
      const path = `/suppliers/${String(contact.supplier_id)}/supplier_contacts/${String(contact.id)}/supplier_telephones`;
      const created = await live.ok('POST', path, {
        area_code: '0113',
        subscriber_number: '496 0000',
        is_default: true,
      });
      const [old] = rowsOf(live.company, contact).filter((row) => row.id !== created.id);
      await live.ok('DELETE', `${path}/${String(old!.id)}`);
      const rows = JSON.stringify(rowsOf(live.company, contact));
      const stored = JSON.stringify(contactOf(live.company, contact.id));
      expect(contactOf(live.company, contact.id)?.default_telephone).toBe('0113 496 0000');
      first.sandbox.close();

      const reopened = createSandbox({ stateFile });
      try {
        const again = await writerFor(reopened, USERS.full);
        expect(JSON.stringify(rowsOf(again.company, contact))).toBe(rows);
        expect(JSON.stringify(contactOf(again.company, contact.id))).toBe(stored);
      } finally {
        reopened.sandbox.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
