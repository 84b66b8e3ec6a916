/** The query options this layer accepts (https://developer.sage.com/200/guides/query-parameters). */
export type QueryOption =
  | '$filter'
  | '$select'
  | '$expand'
  | '$orderby'
  | '$top'
  | '$skip'
  | '$count'
  | '$metadata';

/** A malformed or unsupported query; the gateway answers it with a 400 and this message. */
export class ODataError extends Error {
  override readonly name = 'ODataError';
  /** the query option at fault, when there is one */
  readonly option: string | undefined;
  /** zero-based character offset inside the option's value, for syntax errors */
  readonly position: number | undefined;

  constructor(message: string, details: { option?: string; position?: number } = {}) {
    super(message);
    this.option = details.option;
    this.position = details.position;
  }
}
