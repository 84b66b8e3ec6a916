import { describe, expect, it } from 'vitest';
import { loadCatalog, loadContract, resourceCatalog } from './index.ts';

describe('x-sandbox-resource.range-indexes', () => {
  it('declares the date fields integrations bound and order by on the posted transactions', () => {
    expect(loadCatalog().resource('sales_posted_transactions').rangeIndexes).toEqual([
      'transaction_date',
      'due_date',
      'date_time_updated',
      'date_time_created',
    ]);
    expect(loadCatalog().resource('tax_codes').rangeIndexes).toEqual([]);
  });

  it('refuses a field that is not a date field of the record schema', () => {
    const doc = structuredClone(loadContract());
    const path = doc.paths['/customers'] as Record<string, unknown>;
    path['x-sandbox-resource'] = { noun: 'customer', module: 'sales', 'range-indexes': ['balance'] };
    expect(() => resourceCatalog(doc)).toThrow(
      'contract paths./customers.x-sandbox-resource.range-indexes: balance is no date field of Customer',
    );
  });
});

describe('navigation properties', () => {
  it('reads related records, arrays of children and inline objects, with what nests inside them', () => {
    const customers = loadCatalog().resource('customers');
    expect(customers.expand.currency).toEqual({
      collection: 'currencies',
      foreignKey: 'currency_id',
      resource: 'currencies',
    });
    expect(customers.expand.contacts).toEqual({
      collection: 'customer_contacts',
      foreignKey: 'customer_id',
      many: true,
      resource: 'customer_contacts',
    });
    expect(customers.embedded.main_address?.expand.address_country_code?.resource).toBe('country_codes');
    expect(customers.embedded.main_address?.many).toBeUndefined();
    expect(loadCatalog().resource('banks').embedded.bank_contacts?.many).toBe(true);
  });

  /** The contract with `CustomerFields.contacts` replaced. */
  function withContacts(contacts: Record<string, unknown>) {
    const doc = structuredClone(loadContract());
    const fields = doc.components.schemas.CustomerFields as { properties: Record<string, unknown> };
    fields.properties.contacts = contacts;
    return doc;
  }

  it.each([
    [
      'an array whose link is no index of the child list',
      {
        type: 'array',
        'x-sage-expandable': true,
        'x-sandbox-foreign-key': 'first_name',
        items: { $ref: '#/components/schemas/CustomerContact' },
      },
      "x-sandbox-foreign-key first_name must be one of /customer_contacts's indexes",
    ],
    [
      'a property without its link',
      { type: 'array', 'x-sage-expandable': true, items: { $ref: '#/components/schemas/CustomerContact' } },
      'components.schemas.Customer.contacts: needs x-sandbox-foreign-key',
    ],
    [
      'a target no resource serves',
      {
        $ref: '#/components/schemas/ODataMetadata',
        'x-sage-expandable': true,
        'x-sandbox-foreign-key': 'id',
      },
      'expands to ODataMetadata, which no resource serves',
    ],
  ])('refuses %s', (_name, contacts, message) => {
    expect(() => resourceCatalog(withContacts(contacts))).toThrow(message);
  });
});
