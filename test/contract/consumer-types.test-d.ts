/**
 * The client's types come from the contract's generated `paths`: paths, records and bodies are the contract's, so a
 * path or field renamed in contracts/sage200.openapi.yaml breaks the build of code that uses the old name.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ByIdPath,
  CompanyClient,
  ListItem,
  ListPath,
  PostPath,
  RecordOf,
  RequestBodyOf,
  Schemas,
} from '../../client/index.ts';

describe('the client is typed from the contract', () => {
  it('lists records typed as the contract’s schemas', () => {
    expectTypeOf<ListItem<'/customers'>>().toEqualTypeOf<Schemas['Customer']>();
    expectTypeOf<ListItem<'/nominal_period_value_views'>>().toEqualTypeOf<
      Schemas['NominalPeriodValueView']
    >();
    expectTypeOf<RecordOf<'/customers/{Id}'>>().toEqualTypeOf<Schemas['Customer']>();
  });

  it('pages only the paths that take $orderby/$top/$skip and no path parameter', () => {
    expectTypeOf<'/customers'>().toMatchTypeOf<ListPath>();
    expectTypeOf<'/sales_posted_transactions'>().toMatchTypeOf<ListPath>();
    expectTypeOf<'/sites'>().not.toMatchTypeOf<ListPath>();
    expectTypeOf<'/customers/{Id}'>().not.toMatchTypeOf<ListPath>();
    expectTypeOf<'/customers/{Id}'>().toMatchTypeOf<ByIdPath>();
  });

  it('writes only where the contract has a POST, with its body type', () => {
    expectTypeOf<'/customers'>().toMatchTypeOf<PostPath>();
    expectTypeOf<'/sales_posted_transactions'>().not.toMatchTypeOf<PostPath>();
    expectTypeOf<RequestBodyOf<'/customers', 'post'>>().toEqualTypeOf<Schemas['Customer']>();
  });

  it('updates with a partial body: a PUT takes the fields schema, which requires nothing', () => {
    expectTypeOf<RequestBodyOf<'/customers/{Id}', 'put'>>().toEqualTypeOf<Schemas['CustomerFields']>();
    expectTypeOf<{ name: string }>().toMatchTypeOf<RequestBodyOf<'/customers/{Id}', 'put'>>();
    expectTypeOf<{ name: string }>().not.toMatchTypeOf<RequestBodyOf<'/customers', 'post'>>();
    // A department's code is required on create and read-only after: its PUT need not send it.
    expectTypeOf<{ name: string }>().toMatchTypeOf<RequestBodyOf<'/departments/{Id}', 'put'>>();
    // One order line changed by its id alone.
    expectTypeOf<{ lines: { id: number; line_quantity: number }[] }>().toMatchTypeOf<
      RequestBodyOf<'/sop_orders/{Id}', 'put'>
    >();
    expectTypeOf<'/sop_orders_new/{Id}'>().toMatchTypeOf<ByIdPath<'put'>>();
    const rename = (company: CompanyClient) => company.update('/customers/{Id}', 7, { name: 'Renamed Ltd' });
    expectTypeOf(rename).returns.resolves.toEqualTypeOf<Schemas['Customer']>();
  });

  it('refuses an unknown path and an unknown field at compile time', () => {
    const read = async (company: CompanyClient) => {
      // @ts-expect-error '/customer' is not a path of the contract
      await company.listAll('/customer');
      const [customer] = await company.listAll('/customers');
      // @ts-expect-error 'customer_name' is not a field of Customer (it is `name`)
      return customer?.customer_name;
    };
    expectTypeOf(read).toBeFunction();
  });
});
