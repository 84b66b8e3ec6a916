/**
 * The contacts of every customer and supplier account, each with its channels (Sage's `customer_emails`,
 * `customer_telephones`, `customer_mobiles`, `customer_faxes`, `customer_websites` and the `supplier_*` twins) and
 * its roles (`customer_contact_roles`, `supplier_contact_roles`, citing the company's `trader_contact_roles`).
 * Built after every other collection, from a random stream of its own, so no earlier record's id moves.
 *
 * A contact's `default_telephone` and `default_email` are the `full_number` and `email` of its default telephone
 * and email rows (sales.json, customer_contact), and each kind of channel has one default row where it has any.
 */
import { instant } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';
import type { Rng } from './random.ts';
import { dramaNumber, MOBILE, NO_AREA } from './uk/index.ts';

/** How many contacts an account has, fewest and most, by the scale of its company. */
export type ContactRange = readonly [min: number, max: number];

type Side = 'customer' | 'supplier';

export interface ContactSeedInput {
  customers: readonly SageRecord[];
  suppliers: readonly SageRecord[];
  /** The contacts seeded before (each a default contact): kept, with their channels added. */
  customer_contacts: readonly SageRecord[];
  supplier_contacts: readonly SageRecord[];
  trader_contact_roles: readonly SageRecord[];
  salutations: readonly SageRecord[];
  range: ContactRange;
  rng: Rng;
  /** The people's names to draw from (Faker's en_GB lists): drawn with `rng`, far faster than asking Faker. */
  names: PersonNames;
  nextId: () => number;
}

export interface ContactCollections {
  customer_contacts: SageRecord[];
  supplier_contacts: SageRecord[];
  customer_emails: SageRecord[];
  customer_telephones: SageRecord[];
  customer_mobiles: SageRecord[];
  customer_faxes: SageRecord[];
  customer_websites: SageRecord[];
  customer_contact_roles: SageRecord[];
  supplier_emails: SageRecord[];
  supplier_telephones: SageRecord[];
  supplier_mobiles: SageRecord[];
  supplier_faxes: SageRecord[];
  supplier_websites: SageRecord[];
  supplier_contact_roles: SageRecord[];
}

export interface PersonNames {
  female: readonly string[];
  male: readonly string[];
  last: readonly string[];
}

/** Sage's split of a number: country code, area code, subscriber number. */
interface PhoneNumber {
  country_code: string;
  area_code: string;
  subscriber_number: string;
}

const DAY_MS = 86_400_000;

/** Sage shows a number whole as its parts joined by spaces (`+44 0161 496 0123`). */
export function fullNumber(phone: PhoneNumber): string {
  return [phone.country_code, phone.area_code, phone.subscriber_number]
    .filter((part) => part !== '')
    .join(' ');
}

function phoneOf(record: SageRecord, prefix: 'telephone' | 'fax'): PhoneNumber | undefined {
  const phone = {
    country_code: String(record[`${prefix}_country_code`] ?? ''),
    area_code: String(record[`${prefix}_area_code`] ?? ''),
    subscriber_number: String(record[`${prefix}_subscriber_number`] ?? ''),
  };
  return phone.subscriber_number === '' ? undefined : phone;
}

/** The account's web domain: its website's host without `www.`, or one made from its name. */
function domainOf(trader: SageRecord): string {
  const host = /^https?:\/\/(?:www\.)?([^/]+)/.exec(String(trader.website ?? ''))?.[1];
  if (host) return host;
  const slug = String(trader.name ?? 'account')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'account'}.test`;
}

const mailbox = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** Builds one side's contacts (old and new), channels and roles. */
class SideBuilder {
  /** The contacts seeded before, with their channels' defaults filled in, by id. */
  readonly seeded = new Map<unknown, SageRecord>();
  readonly added: SageRecord[] = [];
  readonly emails: SageRecord[] = [];
  readonly telephones: SageRecord[] = [];
  readonly mobiles: SageRecord[] = [];
  readonly faxes: SageRecord[] = [];
  readonly websites: SageRecord[] = [];
  readonly roles: SageRecord[] = [];
  readonly #usable: readonly SageRecord[];
  readonly #defaultRole: SageRecord | undefined;

  constructor(
    readonly side: Side,
    readonly input: ContactSeedInput,
  ) {
    const flag = side === 'customer' ? 'use_for_customer_accounts' : 'use_for_supplier_accounts';
    this.#usable = input.trader_contact_roles.filter((role) => role[flag] === true);
    this.#defaultRole = this.#usable.find((role) => role.is_default_role === true) ?? this.#usable[0];
  }

  /** An account's contacts: the one seeded before (if any) first, then new ones up to the range. */
  account(trader: SageRecord, seeded: readonly SageRecord[]): void {
    const { rng, names, range } = this.input;
    const key = `${this.side}_id`;
    const traderMs = Date.parse(String(trader.date_time_created));
    const wanted = Math.max(rng.int(range[0], range[1]), seeded.length);
    const contacts = seeded.map((contact) => ({ ...contact }));
    for (let i = contacts.length; i < wanted; i++) {
      const stamp = instant(traderMs + rng.int(0, 365) * DAY_MS + rng.int(0, 36_000) * 1000);
      const contact = blankRecord(
        `${this.side}_contacts`,
        i === 0 ? String(trader.date_time_created) : stamp,
      );
      contact.id = this.input.nextId();
      contact[key] = trader.id ?? null;
      // The default contact is the one the account's address names; the others are new people.
      const named =
        i === 0 ? String((trader.main_address as SageRecord | undefined)?.contact_name ?? '') : '';
      const sex = rng.chance(0.5) ? 'female' : 'male';
      const [first = rng.pick(names[sex]), ...rest] = named.trim().split(/\s+/).filter(Boolean);
      const last = rest.join(' ') || rng.pick(names.last);
      contact.first_name = first.slice(0, 60);
      contact.last_name = last.slice(0, 60);
      contact.name = `${contact.first_name} ${contact.last_name}`.trim();
      if (named === '' && rng.chance(0.4)) contact.salutation_id = this.#salutation(sex);
      // An account's first contact is its default contact, as Sage makes it.
      contact.is_default = i === 0;
      contacts.push(contact);
    }
    const preferred = new Set<unknown>();
    contacts.forEach((contact, i) => {
      this.#channels(trader, contact);
      this.#roles(contact, preferred);
      if (i < seeded.length) this.seeded.set(contact.id, contact);
      else this.added.push(contact);
    });
  }

  #salutation(sex: 'female' | 'male'): number | null {
    const codes = this.input.rng.chance(0.08) ? ['Dr'] : sex === 'male' ? ['Mr'] : ['Mrs', 'Ms', 'Miss'];
    const code = this.input.rng.pick(codes);
    const found = this.input.salutations.find((salutation) => salutation.code === code);
    return typeof found?.id === 'number' ? found.id : null;
  }

  #row(collection: string, contact: SageRecord, fields: SageRecord, isDefault: boolean): SageRecord {
    const row = blankRecord(`${this.side}_${collection}`, String(contact.date_time_created));
    row.id = this.input.nextId();
    Object.assign(row, fields);
    row[`${this.side}_contact_id`] = contact.id ?? null;
    row.is_default = isDefault;
    return row;
  }

  #phones(collection: string, target: SageRecord[], contact: SageRecord, numbers: PhoneNumber[]): string {
    numbers.forEach((phone, i) => {
      target.push(this.#row(collection, contact, { ...phone, full_number: fullNumber(phone) }, i === 0));
    });
    return numbers[0] ? fullNumber(numbers[0]) : '';
  }

  #channels(trader: SageRecord, contact: SageRecord): void {
    const { rng } = this.input;
    const isDefault = contact.is_default === true;
    const domain = domainOf(trader);
    const office = phoneOf(trader, 'telephone');
    // Direct lines are Ofcom's drama numbers in the office's area (./uk/phones.ts), or the range with no area.
    const line = (area: string | undefined): string => dramaNumber(area, rng.int(0, 999)).subscriber_number;
    const direct = (): PhoneNumber => {
      const area = office?.area_code ?? NO_AREA;
      return { country_code: office?.country_code ?? '', area_code: area, subscriber_number: line(area) };
    };

    const addresses: string[] = [];
    if (isDefault || rng.chance(0.92))
      addresses.push(
        `${mailbox(String(contact.first_name))}.${mailbox(String(contact.last_name))}@${domain}`,
      );
    if (isDefault && rng.chance(0.5)) addresses.push(`accounts@${domain}`);
    addresses.forEach((email, i) => {
      this.emails.push(this.#row('emails', contact, { email: email.slice(0, 227) }, i === 0));
    });
    contact.default_email = addresses[0]?.slice(0, 227) ?? '';

    // The default contact answers on the account's own number; the others on direct lines, some also on it.
    const telephones: PhoneNumber[] = [];
    if (isDefault) telephones.push(office ?? direct());
    else if (rng.chance(0.85)) telephones.push(direct());
    if (!isDefault && office && rng.chance(0.25)) telephones.push(office);
    contact.default_telephone = this.#phones('telephones', this.telephones, contact, telephones);

    const mobiles: PhoneNumber[] = [];
    if (rng.chance(isDefault ? 0.7 : 0.55)) {
      // Ofcom's one drama mobile range, 07700 900000-900999, from two draws (the hundreds, then the rest).
      const hundreds = rng.int(0, 9);
      mobiles.push({
        country_code: '+44',
        area_code: MOBILE,
        subscriber_number: dramaNumber(MOBILE, hundreds * 100 + rng.int(0, 99)).subscriber_number,
      });
    }
    this.#phones('mobiles', this.mobiles, contact, mobiles);

    const accountFax = phoneOf(trader, 'fax');
    const faxes: PhoneNumber[] = [];
    if (isDefault && accountFax) faxes.push(accountFax);
    else if (rng.chance(0.06)) {
      const { country_code, area_code } = direct();
      faxes.push({ country_code, area_code, subscriber_number: line(area_code) });
    }
    this.#phones('faxes', this.faxes, contact, faxes);

    const website = String(trader.website ?? '');
    if (website !== '' && (isDefault || rng.chance(0.1))) {
      this.websites.push(this.#row('websites', contact, { website: website.slice(0, 227) }, true));
    }
  }

  /** The default contact takes the default role (Accounts); others up to two more; the first holder is preferred. */
  #roles(contact: SageRecord, preferred: Set<unknown>): void {
    const { rng } = this.input;
    const chosen = new Set<SageRecord>();
    if (contact.is_default === true && this.#defaultRole) chosen.add(this.#defaultRole);
    const extra = rng.int(0, 2);
    for (let i = 0; i < extra && this.#usable.length > 0; i++) chosen.add(rng.pick(this.#usable));
    for (const role of chosen) {
      const row = blankRecord(`${this.side}_contact_roles`, String(contact.date_time_created));
      row.id = this.input.nextId();
      row[`${this.side}_contact_id`] = contact.id ?? null;
      row.trader_contact_role_id = role.id ?? null;
      row.is_preferred_contact_for_role = !preferred.has(role.id);
      preferred.add(role.id);
      this.roles.push(row);
    }
  }
}

function buildSide(side: Side, input: ContactSeedInput): SideBuilder {
  const builder = new SideBuilder(side, input);
  const traders = side === 'customer' ? input.customers : input.suppliers;
  const seeded = side === 'customer' ? input.customer_contacts : input.supplier_contacts;
  const key = `${side}_id`;
  const byTrader = new Map<unknown, SageRecord[]>();
  for (const contact of seeded) {
    const list = byTrader.get(contact[key]) ?? [];
    list.push(contact);
    byTrader.set(contact[key], list);
  }
  for (const trader of traders) builder.account(trader, byTrader.get(trader.id) ?? []);
  return builder;
}

/** The side's contacts in id order: the ones seeded before where they were, then the new ones. */
function contactsOf(builder: SideBuilder, seeded: readonly SageRecord[]): SageRecord[] {
  return [...seeded.map((contact) => builder.seeded.get(contact.id) ?? contact), ...builder.added];
}

/** Every account's contacts with their channels and roles; the contacts seeded before keep their ids and names. */
export function buildContactChannels(input: ContactSeedInput): ContactCollections {
  const customers = buildSide('customer', input);
  const suppliers = buildSide('supplier', input);
  return {
    customer_contacts: contactsOf(customers, input.customer_contacts),
    supplier_contacts: contactsOf(suppliers, input.supplier_contacts),
    customer_emails: customers.emails,
    customer_telephones: customers.telephones,
    customer_mobiles: customers.mobiles,
    customer_faxes: customers.faxes,
    customer_websites: customers.websites,
    customer_contact_roles: customers.roles,
    supplier_emails: suppliers.emails,
    supplier_telephones: suppliers.telephones,
    supplier_mobiles: suppliers.mobiles,
    supplier_faxes: suppliers.faxes,
    supplier_websites: suppliers.websites,
    supplier_contact_roles: suppliers.roles,
  };
}
