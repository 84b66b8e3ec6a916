/**
 * A new resource needs only its contract entry and its seed: this file adds a test-only fragment to the contract
 * (a `/test_widgets` list with `{Id}`, an index, an enum field and a navigation property) and a seed function that
 * fills the collection, and the sandbox serves it with the gateway, role checks, OData, `$expand`, the 404 wording
 * and contract-valid answers, with no table in the server touched.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OpenApiDocument } from '../../contracts/index.ts';
import type { SandboxApp } from '../../mock-server/index.ts';
import type { SageRecord, World } from '../../mock-server/world/model.ts';
import { TEST_AS_OF } from '../support/as-of.ts';

const listParameters = [
  'XSite',
  'XCompany',
  'Filter',
  'Select',
  'Expand',
  'OrderBy',
  'Top',
  'Skip',
  'Count',
  'Metadata',
].map((name) => ({ $ref: `#/components/parameters/${name}` }));

/** The fragment a contributor would write: one path pair and one schema. */
const FRAGMENT = {
  paths: {
    '/test_widgets': {
      'x-sandbox-resource': { noun: 'test widget', module: 'stock', indexes: ['code'] },
      get: {
        operationId: 'getTestWidgets',
        responses: {
          '200': {
            description: 'Widgets.',
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { type: 'array', items: { $ref: '#/components/schemas/TestWidget' } },
                    { type: 'integer', minimum: 0 },
                    { $ref: '#/components/schemas/ODataMetadata' },
                  ],
                },
              },
            },
          },
        },
        parameters: listParameters,
      },
    },
    '/test_widgets/{Id}': {
      get: {
        operationId: 'getTestWidget',
        parameters: [{ $ref: '#/components/parameters/Id' }, ...listParameters.slice(0, 2)],
        responses: {
          '200': {
            description: 'A widget.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/TestWidget' } } },
          },
          '404': { $ref: '#/components/responses/NotFound' },
        },
      },
    },
  },
  schemas: {
    TestWidget: {
      type: 'object',
      properties: {
        id: { type: 'integer', format: 'int64', readOnly: true },
        code: { type: 'string', maxLength: 10 },
        account_status_type: { type: 'string', 'x-sandbox-enum': 'account_status_types' },
        product_group_id: { type: ['integer', 'null'], format: 'int64' },
        product_group: {
          $ref: '#/components/schemas/ProductGroup',
          'x-sage-expandable': true,
          'x-sandbox-foreign-key': 'product_group_id',
        },
        date_time_created: { type: 'string', format: 'date-time', readOnly: true },
        date_time_updated: { type: 'string', format: 'date-time', readOnly: true },
      },
    },
  },
};

const CONTRACT_MODULE = '../../contracts/contract.ts';

/**
 * The contract module with the fragment added. Mocked with doMock after a module reset, rather than a hoisted
 * vi.mock, because the unit project shares modules between files (isolate: false): the mock must reach modules
 * another file already loaded, and must not outlive this file.
 */
async function extendContract(): Promise<void> {
  vi.resetModules();
  vi.doMock(CONTRACT_MODULE, async (importOriginal) => {
    const original = await importOriginal<typeof import('../../contracts/contract.ts')>();
    const { resourceCatalog } = await import('../../contracts/catalog.ts');
    const base = original.loadContract();
    const extended = {
      ...base,
      paths: { ...base.paths, ...FRAGMENT.paths },
      components: { ...base.components, schemas: { ...base.components.schemas, ...FRAGMENT.schemas } },
    } as unknown as OpenApiDocument;
    const catalog = resourceCatalog(extended);
    return { ...original, loadContract: () => extended, loadCatalog: () => catalog };
  });
}

/** The seed function: three widgets per company, built from the contract's blank record. */
async function seedWidgets(world: World): Promise<void> {
  const { blankRecord } = await import('../../mock-server/world/fields.ts');
  for (const site of world.sites) {
    for (const company of site.companies) {
      const group = company.collections.product_groups[0]!;
      const widgets: SageRecord[] = ['W-001', 'W-002', 'W-003'].map((code, i) => {
        const widget = blankRecord('test_widgets', '2026-01-05T09:00:00.000Z');
        widget.id = company.next_id++;
        widget.code = code;
        widget.product_group_id = i === 0 ? (group.id as number) : null;
        if (i === 2) widget.account_status_type = 'AccountStatusHidden';
        return widget;
      });
      company.collections.test_widgets = widgets;
    }
  }
}

describe('a resource described only in the contract, with a seed', () => {
  let app: SandboxApp;
  let caller: import('../support/sandbox.ts').Caller;
  let validator: import('../../contracts/index.ts').ResponseValidator;
  let support: typeof import('../support/sandbox.ts');

  beforeAll(async () => {
    await extendContract();
    support = await import('../support/sandbox.ts');
    const { buildWorld } = await import('../../mock-server/seed/index.ts');
    const { createSandbox } = await import('../../mock-server/index.ts');
    const { createResponseValidator, loadContract } = await import('../../contracts/index.ts');
    // Seed first, then build the sandbox on that world, as the seed generator does for every collection.
    const world = buildWorld({ seed: 200, scale: 'small', asOf: TEST_AS_OF });
    await seedWidgets(world);
    app = createSandbox({ world, freezeClock: true });
    caller = await support.callerFor(app, support.USERS.full);
    validator = createResponseValidator(loadContract());
  });

  afterAll(() => {
    vi.doUnmock(CONTRACT_MODULE);
    vi.resetModules();
  });

  it('starts an enum field at its first member, so every record holds a member of its list', async () => {
    const widgets = await caller.json<SageRecord[]>('/test_widgets');
    expect(widgets.map((w) => w.account_status_type)).toEqual([
      'AccountStatusActive',
      'AccountStatusActive',
      'AccountStatusHidden',
    ]);
    expect(validator.validateResponse('get', '/test_widgets', 200, widgets).ok).toBe(true);
  });

  it('answers OData on it as on any list: $filter on the index and on the enum by number, $orderby, $top, $skip, $select', async () => {
    const byCode = await caller.json<SageRecord[]>(
      `/test_widgets?$filter=${encodeURIComponent("code eq 'W-002'")}`,
    );
    expect(byCode.map((w) => w.code)).toEqual(['W-002']);
    const hidden = await caller.json<SageRecord[]>(
      `/test_widgets?$filter=${encodeURIComponent("account_status_type eq '1'")}&$select=code`,
    );
    expect(hidden).toEqual([{ code: 'W-003' }]);
    const page = await caller.json<SageRecord[]>(
      '/test_widgets?$orderby=code desc&$top=1&$skip=1&$select=id,code',
    );
    expect(page.map((w) => w.code)).toEqual(['W-002']);
    expect(await (await caller.get('/test_widgets?$count=true')).json()).toBe(3);
  });

  it('expands the navigation property through its foreign key', async () => {
    const [first] = await caller.json<SageRecord[]>(
      '/test_widgets?$orderby=code&$top=1&$expand=product_group',
    );
    expect((first?.product_group as SageRecord | undefined)?.id).toBe(first?.product_group_id);
  });

  it('expands a path through it into the related record’s own navigation properties, and lists it in $metadata', async () => {
    const [first] = await caller.json<SageRecord[]>(
      '/test_widgets?$orderby=code&$top=1&$expand=product_group/stock_nominal_code',
    );
    const group = first?.product_group as SageRecord;
    expect((group.stock_nominal_code as SageRecord | undefined)?.id).toBe(group.stock_nominal_code_id);
    const metadata = await caller.json<{ fields: { name: string; expandable: boolean }[] }>(
      '/test_widgets?$metadata=true',
    );
    expect(validator.validateResponse('get', '/test_widgets', 200, metadata).ok).toBe(true);
    expect(metadata.fields.filter((field) => field.expandable).map((field) => field.name)).toEqual([
      'product_group',
    ]);
  });

  it('serves {Id}, and a 404 naming the resource for an unknown one', async () => {
    const [first] = await caller.json<SageRecord[]>('/test_widgets?$top=1');
    expect(await caller.json<SageRecord>(`/test_widgets/${String(first?.id)}`)).toEqual(first);
    const missing = await caller.get('/test_widgets/999999999');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ Message: "No test widget was found with the Id '999999999'." });
  });

  it('checks the module the fragment names, and the gateway as everywhere', async () => {
    const noToken = await app.request(`/uk/sage200/accounts/v1/test_widgets`);
    expect(noToken.status).toBe(401);
    const { loadCatalog } = await import('../../contracts/index.ts');
    expect(loadCatalog().resource('test_widgets').modules).toEqual(['stock']);
    expect((await caller.get('/test_widgets?$filter=nonsense eq 1')).status).toBe(400);
  });
});
