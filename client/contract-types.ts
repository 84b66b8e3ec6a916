/**
 * Types derived from the contract's generated `paths`, so that every path, query option, record and request body
 * the client handles is the contract's: a field renamed in contracts/sage200.openapi.yaml breaks the build here.
 */
import type { components, paths } from '../contracts/index.ts';

export type { components, paths };
export type Schemas = components['schemas'];

type JsonContent<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Operation<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'delete'> = paths[P] extends {
  [K in M]: infer O;
}
  ? O
  : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type Ok<O> = O extends { responses: { 200: infer R } } ? JsonContent<R> : never;

/** Paths whose GET lists records with `$orderby`/`$top`/`$skip` and needs no path parameter. */
export type ListPath = {
  [P in keyof paths]: [QueryOf<Operation<P, 'get'>>] extends [never]
    ? never
    : '$skip' extends keyof QueryOf<Operation<P, 'get'>>
      ? Operation<P, 'get'> extends { parameters: { path?: never } }
        ? P
        : never
      : never;
}[keyof paths];

/** The record type a list path answers, e.g. `ListItem<'/customers'>` is `Schemas['Customer']`. */
export type ListItem<P extends ListPath> = Extract<Ok<Operation<P, 'get'>>, readonly unknown[]>[number];

/** Paths that read, update or delete one record by its `{Id}`. */
export type ByIdPath<M extends 'get' | 'put' | 'delete' = 'get'> = {
  [P in keyof paths]: [Operation<P, M>] extends [never]
    ? never
    : Operation<P, M> extends { parameters: { path: { Id: number } } }
      ? P
      : never;
}[keyof paths];

/** The record a by-id GET answers. */
export type RecordOf<P extends keyof paths> = Ok<Operation<P, 'get'>>;

/** Paths the contract lets a client POST to. */
export type PostPath = {
  [P in keyof paths]: [Operation<P, 'post'>] extends [never] ? never : P;
}[keyof paths];

/** The JSON body a POST or PUT takes, as the contract declares it. */
export type RequestBodyOf<P extends keyof paths, M extends 'post' | 'put'> =
  Operation<P, M> extends {
    requestBody?: infer B;
  }
    ? JsonContent<NonNullable<B>>
    : never;

/** The JSON a successful POST, PUT or DELETE answers. */
export type WriteResultOf<P extends keyof paths, M extends 'post' | 'put' | 'delete'> = Ok<Operation<P, M>>;

/** One row of `GET /sites`: the X-Site / X-Company pair and the names. */
export interface CompanySelection {
  site_id: string;
  company_id: number;
  site_name?: string | undefined;
  company_name?: string | undefined;
}
