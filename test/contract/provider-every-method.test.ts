/**
 * Every write (POST, PUT, DELETE) the contract lists, for every kind of user: the sandbox answers, and every answer
 * (success and error) validates against contracts/sage200.openapi.yaml. The cases are generated from the contract,
 * so a new path or verb is covered as soon as it is added there. (GETs: every-path.test.ts.)
 *
 * Bodies come from the contract too: the fields the requestBody schema requires, with `*_id` fields pointing at
 * real records of the company. A PUT's body requires nothing (it changes only the fields sent), so a PUT sends the
 * record's writable required fields back unchanged, as a client echoing what it read would. A full user's write
 * must then succeed, except where a business rule the schema cannot express refuses the minimal body: those are
 * listed in BUSINESS_RULES (expected 400 and its message), and each must be stated in its operation's
 * description, so the contract tells a client what the sandbox will refuse.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createResponseValidator,
  isDateSchema,
  loadCatalog,
  loadContract,
  type OperationObject,
  objectSchema,
  type ResponseObject,
  type SchemaObject,
} from '../../contracts/index.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { CompanyStore, TableName } from '../../mock-server/store/index.ts';
import type { SageRecord } from '../../mock-server/world/model.ts';
import { api, callerFor, testSandbox, USERS, userOf } from '../support/sandbox.ts';
import { savesNothing } from '../support/writes.ts';

const contract = loadContract();
const validator = createResponseValidator(contract);
const WRITE_METHODS = ['post', 'put', 'delete'] as const;
type WriteMethod = (typeof WRITE_METHODS)[number];

const operations = Object.entries(contract.paths).flatMap(([template, item]) =>
  WRITE_METHODS.filter((method) => item[method] !== undefined).map(
    (method) => [method.toUpperCase(), template] as const,
  ),
);

/**
 * Paths whose data belongs to the Sales Ledger, which the limited user's role lacks: these prefixes, every
 * resource the contract puts in the sales module (`/sop_incoterms`) and every action path it puts there
 * (`/suggested_products`).
 */
const SALES = new RegExp(
  `^/(customers|customer_|sop_orders|sop_order_line_|sop_quotes|sales_|sop_confirm_despatch|(${[
    ...loadCatalog()
      .resources.filter((r) => r.modules.includes('sales'))
      .map((r) => r.path),
    ...Object.keys(loadContract().paths)
      .filter((path) => loadCatalog().pathModules(path).includes('sales'))
      .map((path) => path.slice(1)),
  ].join('|')})(/|$))`,
);

/**
 * Business rules that refuse a body the schema allows, kept out of the required lists because Sage's schemas do not
 * mark those fields required: `METHOD template` → the 400's message, and the words of the rule in the operation's
 * description.
 */
const BUSINESS_RULES: Readonly<Record<string, { message: string; described: string }>> = {
  'POST /product_search': {
    message: 'The search_category_values must hold at least one value.',
    described: 'Refused (400): no search category values',
  },
  'POST /suggested_products': {
    message: 'At least one of show_frequent_items, show_recent_items or show_preferred_items must be true.',
    described: 'none of the three `show_*` flags true',
  },
  'POST /sales_invoices': {
    message: 'The document_goods_value field is required.',
    described: 'The sandbox refuses an invoice without `document_goods_value`',
  },
  'POST /sales_credit_notes': {
    message: 'The document_goods_value field is required.',
    described: 'The sandbox refuses a credit note without `document_goods_value`',
  },
  'POST /purchase_invoices': {
    message: 'The document_goods_value field is required.',
    described: 'The sandbox refuses an invoice without `document_goods_value`',
  },
  'POST /purchase_credit_notes': {
    message: 'The document_goods_value field is required.',
    described: 'The sandbox refuses a credit note without `document_goods_value`',
  },
  'POST /sales_allocations': {
    message: 'The field allocation_lines must have at least one line.',
    described: 'The sandbox refuses (400) an allocation whose `allocation_lines` is empty',
  },
  'POST /products_duplicate': {
    message: 'The new_code field is required.',
    described: 'The sandbox refuses a duplicate without `new_code`',
  },
  'POST /bank_payment': {
    message: 'The field nominal_analysis_items must have at least one line.',
    described: 'The sandbox refuses a payment whose `nominal_analysis_items` is empty',
  },
  'PUT /purchase_authorisations/{Id}': {
    message: 'The nominal_analysis_items field is required.',
    described: 'The sandbox refuses a body without `nominal_analysis_items`',
  },
  'POST /warehouse_holdings': {
    message: 'is already held in the warehouse',
    described: 'a product is held in a warehouse once',
  },
  'POST /bin_holdings': {
    message: 'The name field is required.',
    described: '`name` must be a bin of its warehouse',
  },
  'DELETE /bin_holdings/{Id}': {
    message: 'cannot be deleted because',
    described: 'A bin holding with stock or allocations, or the holding',
  },
  'DELETE /warehouse_holdings/{Id}': {
    message: 'cannot be deleted because it holds stock.',
    described: 'A holding with stock, allocations or stock on order cannot be deleted',
  },
  'POST /bank_receipt': {
    message: 'The field nominal_analysis_items must have at least one line.',
    described: 'The sandbox refuses a receipt whose `nominal_analysis_items` is empty',
  },
  'POST /sop_confirm_despatch': {
    message: 'The field items must have at least one line.',
    described: 'The sandbox refuses a confirmation whose `items` is empty',
  },
  // The first stocktake and count sheet item are the seed's completed year-end ones.
  'PUT /stocktakes/{Id}': {
    message: 'is complete and cannot be changed.',
    described: 'The sandbox refuses (400) changes to a completed stocktake',
  },
  'PUT /stocktake_count_sheet_items/{Id}': {
    message: 'is complete and cannot be changed.',
    described: 'The sandbox refuses (400) changes to a completed stocktake',
  },
  'POST /stocktake_amend_items': {
    message: 'The id field is required.',
    described: 'Refused (400): a body without the `id` of a stocktake',
  },
  'POST /stocktake_enter_values': {
    message: 'The id field is required.',
    described: 'Refused (400): a body without the `id` of a stocktake',
  },
  'POST /stocktake_view_adjustments': {
    message: 'The id field is required.',
    described: 'Refused (400): a body without the `id` of a stocktake',
  },
  'POST /stocktake_approve_complete': {
    message: 'The id field is required.',
    described: 'Refused (400): a body without the `id` of a stocktake',
  },
  'POST /sop_confirm_despatch_bin_items': {
    message: "No sales order line was found with the Id '1' given in id.",
    described: 'Refused (400): an `id` that names no sales order line',
  },
  'POST /sop_confirm_despatch_traceable_items': {
    message: "No sales order line was found with the Id '1' given in id.",
    described: 'Refused (400): an `id` that names no sales order line',
  },
  'POST /sop_order_line_traceable_items': {
    message: "No sales order line was found with the Id '1' given in id.",
    described: 'Refused (400): an `id` that names no sales order line',
  },
  'POST /stock_transfers': {
    message: "was found with the Id '1' given in bin_holding_from_id.",
    described: 'a bin holding that names no bin of the product',
  },
  'POST /stock_transfer_traceable_items': {
    message: "was found with the Id '1' given in bin_holding_from_id.",
    described: 'Refused (400): a `bin_holding_from_id` that names no bin of the product `product_id`',
  },
};

/** Which collection an `*_id` body field points at, and which of its records (a transfer needs two banks). */
const ID_FIELDS: Readonly<Record<string, readonly [TableName, number]>> = {
  customer_id: ['customers', 0],
  supplier_id: ['suppliers', 0],
  bank_id: ['banks', 0],
  bank_from_id: ['banks', 0],
  bank_to_id: ['banks', 1],
  tax_code_id: ['tax_codes', 1],
  product_group_id: ['product_groups', 0],
  product_id: ['products', 0],
  report_category_id: ['nominal_report_categories', 0],
  currency_id: ['currencies', 0],
  currency_from_id: ['currencies', 0],
  currency_to_id: ['currencies', 1],
  warehouse_id: ['warehouses', 0],
  warehouse_holding_id: ['warehouse_holdings', 0],
  nominal_code_id: ['nominal_codes', 0],
  posted_customer_transaction_id: ['sales_posted_transactions', 0],
  posted_supplier_transaction_id: ['purchase_posted_transactions', 0],
};

function resolve<T>(ref: string): T {
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>(
      (node, key) => (node as Record<string, unknown>)[key.replaceAll('~1', '/')],
      contract,
    ) as T;
}

/** The schema as one object schema: refs followed, `allOf` merged (`Customer` is `CustomerFields` + required). */
function deref(schema: SchemaObject): SchemaObject {
  return objectSchema(contract, schema);
}

function bodySchema(operation: OperationObject): SchemaObject | undefined {
  const declared = (
    operation as { requestBody?: { $ref?: string; content?: Record<string, { schema?: SchemaObject }> } }
  ).requestBody;
  if (!declared) return undefined;
  const body = declared.$ref ? resolve<typeof declared>(declared.$ref) : declared;
  return body.content?.['application/json']?.schema;
}

/** The schema of the operation's 200 answer, or undefined when it declares none. */
function answerSchema(operation: OperationObject): SchemaObject | undefined {
  const declared = operation.responses['200'];
  const response = declared && '$ref' in declared ? resolve<ResponseObject>(declared.$ref) : declared;
  return (response as ResponseObject | undefined)?.content?.['application/json']?.schema;
}

/**
 * A product links to each supplier, alternative and cross-sell product once: a create names the first record not
 * linked to the product yet, so that repeated creates (one per user kind) stay new links.
 */
const LINK_TARGETS: Readonly<Record<string, readonly [string, TableName]>> = {
  '/product_suppliers': ['supplier_id', 'suppliers'],
  '/alternative_products': ['alternative_product_id', 'products'],
  '/cross_sell_products': ['cross_sell_product_id', 'products'],
};

function createBody(template: string, schema: SchemaObject | undefined, company: CompanyStore): unknown {
  const body = schema ? generate(schema, company) : undefined;
  const link = LINK_TARGETS[template];
  if (!link || typeof body !== 'object' || body === null) return body;
  const [field, targets] = link;
  const record = body as Record<string, unknown>;
  const linked = company
    .table(template.slice(1) as TableName)
    .lookup('product_id', record.product_id as number);
  const taken = new Set((linked ?? []).map((row) => row[field]));
  const free = company
    .table(targets)
    .all()
    .find((row) => row.id !== record.product_id && !taken.has(row.id));
  return { ...record, [field]: free?.id ?? 1 };
}

let unique = 0;

/** A value for `schema` with only what it requires; `*_id` fields name real records of `company`. */
function generate(schema: SchemaObject, company: CompanyStore, name = ''): unknown {
  const s = deref(schema);
  const type = typeof s.type === 'string' ? s.type : s.type?.find((t) => t !== 'null');
  const reference = ID_FIELDS[name];
  if (reference && type === 'integer') {
    // Accounts on hold refuse orders, so pick among the others.
    const record = company
      .table(reference[0])
      .all()
      .filter((r) => r.on_hold !== true)[reference[1]];
    return record?.id ?? 1;
  }
  if (s.default !== undefined) return s.default;
  // An enum field takes its first member (a report category's `account_report_category_type`).
  const members = loadCatalog().fieldMembers(s);
  if (members?.[0] !== undefined) return members[0].value;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        (s.required ?? []).map((key) => [key, generate(s.properties?.[key] ?? {}, company, key)]),
      );
    case 'array':
      return [];
    case 'string': {
      if (isDateSchema(s)) return '2026-10-15T00:00:00';
      unique += 1;
      // Unique even when cut to a short maxLength (department and cost centre codes have 3 characters).
      return `C${unique.toString(36).toUpperCase().padStart(2, '0')}`.slice(-(s.maxLength ?? 20));
    }
    case 'integer':
      return 1;
    case 'number':
      return 10;
    case 'boolean':
      return false;
    default:
      return {};
  }
}

function companyOf(app: SandboxApp, email: string): CompanyStore {
  const site = app.sandbox.store.site(userOf(app, email).site_id)!;
  return [...site.companies.values()][0]!;
}

const singular = (collection: string) => collection.replace(/s$/, '');

/**
 * The template with its parameters filled from real records: `{Id}` from the collection just before it, a parent
 * id from the parent collection, the child chosen among the parent's own children.
 */
function concretePath(template: string, company: CompanyStore, ids: Record<string, number> = {}): string {
  const segments = template.split('/');
  const chosen: Record<string, SageRecord | undefined> = {};
  return segments
    .map((segment, index) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!param) return segment;
      if (ids[param] !== undefined) return String(ids[param]);
      // `/sop_orders_new/{Id}` takes the id of a stored sales order.
      const collection = segments[index - 1]?.replace(/_new$/, '') as TableName;
      const parentCollection = segments[index - 3];
      const parent = parentCollection ? chosen[parentCollection] : undefined;
      const rows = company.table(collection).all();
      const record = parent
        ? rows.find((row) => row[`${singular(parentCollection!)}_id`] === parent.id)
        : rows[0];
      chosen[collection] = record;
      return String(record?.id ?? 987654321);
    })
    .join('/');
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}

function check(method: string, template: string, status: number, body: unknown): void {
  const result = validator.validateResponse(method, template, status, body);
  if (!result.ok)
    throw new Error(`${method} ${template} ${status} does not match the contract: ${result.errors}`);
}

describe('every write the contract lists answers as the contract says', () => {
  let app: SandboxApp;
  beforeAll(() => {
    app = testSandbox();
  });

  it('lists the writes of the CRUD and posting families', () => {
    const listed = operations.map(([method, template]) => `${method} ${template}`);
    for (const write of [
      'POST /customers',
      'PUT /customers/{Id}',
      'DELETE /customers/{Id}',
      'POST /sales_invoices',
    ]) {
      expect(listed).toContain(write);
    }
  });

  it.each(Object.entries(BUSINESS_RULES))(
    'states the business rule of %s in its description',
    (key, rule) => {
      const [method, template] = key.split(' ') as [string, string];
      const operation = contract.paths[template]?.[method.toLowerCase() as WriteMethod];
      expect(operation?.description).toContain(rule.described);
    },
  );

  const puts = operations.filter(([method]) => method === 'PUT');
  it.each(puts)(
    "%s %s requires no field (an array PUT: only each item's id), as a PUT changes only the fields sent",
    (method, template) => {
      const schema = bodySchema(contract.paths[template]![method.toLowerCase() as WriteMethod]!);
      expect(schema).toBeDefined();
      const body = deref(schema!);
      if (template.endsWith('{Id}')) {
        expect(body.required ?? []).toEqual([]);
      } else {
        // The collection's PUT (departments, cost centres) takes an array of changes, each naming its record.
        expect(body.type).toBe('array');
        expect(deref(body.items!).required).toEqual(['id']);
      }
    },
  );

  describe.each(Object.entries(USERS))('for the %s user', (kind, email) => {
    it.each(operations)('%s %s', async (method, template) => {
      const caller = await callerFor(app, email);
      const company = companyOf(app, email);
      const operation = contract.paths[template]![method.toLowerCase() as WriteMethod]!;
      const send = (path: string, verb: string, body?: unknown) =>
        app.request(api(path), {
          method: verb,
          headers: {
            ...caller.headers,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });

      let path = concretePath(template, company);
      const schema = bodySchema(operation);
      let body =
        method === 'POST'
          ? createBody(template, schema, company)
          : schema
            ? generate(schema, company)
            : undefined;
      const copied = /^\/(\w+)_duplicate$/.exec(template)?.[1];
      if (copied && body && typeof body === 'object') {
        // A duplicate copies a record of the collection it names.
        Object.assign(body, { source_id: company.table(copied as TableName).all()[0]?.id });
      }
      const sibling = template.replace(/\/\{Id\}$/, '');
      const answer200 = answerSchema(operation);
      if (method === 'PUT' && template.endsWith('{Id}') && answer200) {
        // Update in the usual way: read the record, send its writable required fields back unchanged.
        const read = template.replace(/_new\/\{Id\}$/, '/{Id}');
        const current = (await bodyOf(await send(concretePath(read, company), 'GET'))) as
          | Record<string, unknown>
          | undefined;
        const record = deref(answer200);
        const writable = (record.required ?? []).filter((key) => record.properties?.[key]?.readOnly !== true);
        if (current && typeof current === 'object') {
          body = Object.fromEntries(writable.map((key) => [key, current[key]]));
        }
      }
      if (method === 'DELETE' && sibling !== template && contract.paths[sibling]?.post) {
        // Delete a record made for the purpose, so the delete is not refused for the postings it has.
        const postSchema = bodySchema(contract.paths[sibling].post!);
        const created = await send(
          concretePath(sibling, company),
          'POST',
          createBody(sibling, postSchema, company),
        );
        const record = (await bodyOf(created)) as { id?: number } | undefined;
        if (created.status === 200 && record?.id !== undefined)
          path = concretePath(template, company, { Id: record.id });
        // A create its business rule refuses (every product is held in every warehouse): delete a stored record.
        else if (created.status !== 400 || !BUSINESS_RULES[`POST ${sibling}`])
          expect(created.status, `creating a record to delete: ${JSON.stringify(record)}`).toBe(403);
      }

      const response = await send(path, method, body);
      const answer = await bodyOf(response);
      check(method, template, response.status, answer);

      const refusedTrial = kind === 'trial' && !savesNothing(template);
      const refusedRole = kind === 'limited' && SALES.test(template);
      const rule = BUSINESS_RULES[`${method} ${template}`];
      const shown = JSON.stringify(answer)?.slice(0, 300);
      if (refusedTrial || refusedRole) {
        expect(response.status, shown).toBe(403);
      } else if (rule !== undefined) {
        expect(response.status, shown).toBe(400);
        expect((answer as { Message: string }).Message).toContain(rule.message);
      } else {
        expect(response.status, shown).toBe(200);
      }
    });
  });

  describe('error answers', () => {
    it.each(operations)('%s %s without a token: 401, empty body', async (method, template) => {
      const path = concretePath(template, companyOf(app, USERS.full));
      const response = await app.request(api(path), { method });
      expect(response.status).toBe(401);
      check(method, template, 401, await bodyOf(response));
    });

    const withBody = operations.filter(([method, template]) =>
      bodySchema(contract.paths[template]![method.toLowerCase() as WriteMethod]!),
    );

    it.each(withBody)('%s %s with a body that is not JSON: 415', async (method, template) => {
      const caller = await callerFor(app, USERS.full);
      const path = concretePath(template, companyOf(app, USERS.full));
      const response = await app.request(api(path), {
        method,
        headers: { ...caller.headers, 'Content-Type': 'text/plain' },
        body: 'name=x',
      });
      expect(response.status).toBe(415);
      check(method, template, 415, await bodyOf(response));
    });

    it.each(withBody)('%s %s with malformed JSON: 400', async (method, template) => {
      const caller = await callerFor(app, USERS.full);
      const path = concretePath(template, companyOf(app, USERS.full));
      const response = await app.request(api(path), {
        method,
        headers: { ...caller.headers, 'Content-Type': 'application/json' },
        body: '{"name": ',
      });
      expect(response.status).toBe(400);
      check(method, template, 400, await bodyOf(response));
    });

    const byId = operations.filter(([, template]) => template.endsWith('{Id}'));
    it.each(byId)('%s %s with an unknown id: 404', async (method, template) => {
      const caller = await callerFor(app, USERS.full);
      const company = companyOf(app, USERS.full);
      const operation = contract.paths[template]![method.toLowerCase() as WriteMethod]!;
      const schema = bodySchema(operation);
      const response = await app.request(api(concretePath(template, company, { Id: 987654321 })), {
        method,
        headers: { ...caller.headers, ...(schema ? { 'Content-Type': 'application/json' } : {}) },
        ...(schema ? { body: JSON.stringify(generate(schema, company)) } : {}),
      });
      expect(response.status).toBe(404);
      check(method, template, 404, await bodyOf(response));
    });
  });
});
