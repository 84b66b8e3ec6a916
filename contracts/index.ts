/**
 * The Sage 200 contract: the OpenAPI document, the types generated from it and a response validator. Its zod
 * schemas (`generated/zod.ts`) are imported from that file where needed: building them all takes a sixth of a
 * second that no start of the sandbox should pay. https://spec.openapis.org/oas/v3.1.0
 */
import type { components } from './generated/sage200.d.ts';

export type {
  EmbeddedDefinition,
  EnumField,
  EnumMember,
  ExpandDefinition,
  LookupDefinition,
  ModuleDefinition,
  NestedDefinition,
  OrderKeyDefinition,
  ResourceCatalog,
  ResourceDefinition,
  ViewCondition,
  ViewOperator,
} from './catalog.ts';
export { NOMINAL_LEDGER, resourceCatalog } from './catalog.ts';
export { contractPath, loadCatalog, loadContract } from './contract.ts';
export type { ContractSchemaOptions, ContractSchemas } from './contract-schemas.ts';
export { createContractSchemas, escapePointer } from './contract-schemas.ts';
export type { components, operations, paths } from './generated/sage200.d.ts';
export type {
  OpenApiDocument,
  OperationObject,
  ParameterObject,
  PathItemObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
} from './openapi-document.ts';
export {
  BUSINESS_DATE_FORMAT,
  BUSINESS_DATE_PATTERN,
  ContractError,
  INSTANT_FIELDS,
  isDateSchema,
  isNavigation,
  objectSchema,
  parseContract,
  requestSchemaName,
  resolvePointer,
  schemaTypes,
} from './openapi-document.ts';
export type { ResponseValidation, ResponseValidator } from './response-validator.ts';
export { createResponseValidator } from './response-validator.ts';

/** Every record schema of the contract as a TypeScript type, by component name (e.g. `Schemas['Customer']`). */
export type Schemas = components['schemas'];
