/**
 * How far an order, or one of its lines, has gone: Sage's line status (`EnumTradeLineStatus…`) and document process
 * status (`EnumDocumentProcessStatus…`) from what was done of what was ordered. The seed's order book and the
 * despatch writes both read them from here.
 */
export const LINE_STATUS = [
  'EnumTradeLineStatusNone',
  'EnumTradeLineStatusPartially',
  'EnumTradeLineStatusFully',
] as const;

export const DOCUMENT_PROCESS = [
  'EnumDocumentProcessStatusNone',
  'EnumDocumentProcessStatusPart',
  'EnumDocumentProcessStatusFull',
] as const;

/** None, part or full, as `done` of `of`, named from `names` (LINE_STATUS or DOCUMENT_PROCESS). */
export function progressStatus(done: number, of: number, names: readonly string[]): string {
  return names[done <= 0 ? 0 : done >= of ? 2 : 1] ?? '';
}
