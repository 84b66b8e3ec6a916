/** The contract's response validator, built once per process: compiling its schemas is the slow part. */
import {
  createResponseValidator,
  type OpenApiDocument,
  type ResponseValidator,
} from '../../contracts/index.ts';

const built = new WeakMap<OpenApiDocument, ResponseValidator>();

export function validatorFor(doc: OpenApiDocument): ResponseValidator {
  let validator = built.get(doc);
  if (!validator) {
    validator = createResponseValidator(doc);
    built.set(doc, validator);
  }
  return validator;
}
