/**
 * What a derived view's rows depend on besides the records: today on the sandbox clock, and for an aged view the
 * options its list takes: Sage's `$ageingdatetype` (`transactiondate`, `duedate` or `calendarmonth`) and, where the
 * contract declares it, `$periodnumber` (retrospective ageing).
 */
import type { ResourceDefinition } from '../../contracts/index.ts';
import type { SandboxClock } from '../clock.ts';
import { SageApiError } from '../errors.ts';
import type { AgeingType, ViewContext } from '../views/index.ts';

const AGEING_OPTION = '$ageingdatetype';
const PERIOD_OPTION = '$periodnumber';
const DAY_MS = 86_400_000;

const AGEING_TYPES: Readonly<Record<string, AgeingType>> = {
  transactiondate: 'TransactionDate',
  duedate: 'DueDate',
  calendarmonth: 'CalendarMonth',
};

/**
 * The view context of a list request, and its query without the options the context took; undefined context for a
 * resource that is no derived view. A bad option value is a 400 naming the values it takes; an option the list does
 * not take is left for the OData parser to refuse.
 */
export function viewContextOf(
  definition: ResourceDefinition,
  search: URLSearchParams,
  clock: SandboxClock,
): { context: ViewContext | undefined; search: URLSearchParams } {
  if (definition.derivedFrom === undefined) return { context: undefined, search };
  const today = Math.floor(clock.now() / DAY_MS);
  const takesAgeing = definition.ageing && search.has(AGEING_OPTION);
  const takesPeriod = definition.periodNumber && search.has(PERIOD_OPTION);
  if (!takesAgeing && !takesPeriod) return { context: { today, ageing: 'TransactionDate' }, search };
  const rest = new URLSearchParams(search);
  let ageing: AgeingType = 'TransactionDate';
  if (takesAgeing) {
    const text = search.get(AGEING_OPTION) ?? '';
    const named = AGEING_TYPES[text.toLowerCase()];
    if (named === undefined) {
      throw new SageApiError(
        400,
        `The query option ${AGEING_OPTION} must be ${Object.keys(AGEING_TYPES).join(', ')}, not '${text}'.`,
      );
    }
    ageing = named;
    rest.delete(AGEING_OPTION);
  }
  if (!takesPeriod) return { context: { today, ageing }, search: rest };
  const text = search.get(PERIOD_OPTION) ?? '';
  if (!/^\d{1,4}$/.test(text)) {
    throw new SageApiError(
      400,
      `The query option ${PERIOD_OPTION} must be a whole number of periods, not '${text}'.`,
    );
  }
  rest.delete(PERIOD_OPTION);
  return { context: { today, ageing, periodsBack: Number(text) }, search: rest };
}
