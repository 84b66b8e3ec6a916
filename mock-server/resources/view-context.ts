/**
 * What a derived view's rows depend on besides the records: today on the sandbox clock, and for an aged view the
 * ageing type its list takes as Sage's `$ageingdatetype` (`transactiondate`, `duedate` or `calendarmonth`).
 */
import type { ResourceDefinition } from '../../contracts/index.ts';
import type { SandboxClock } from '../clock.ts';
import { SageApiError } from '../errors.ts';
import type { AgeingType, ViewContext } from '../views/index.ts';

const AGEING_OPTION = '$ageingdatetype';
const DAY_MS = 86_400_000;

const AGEING_TYPES: Readonly<Record<string, AgeingType>> = {
  transactiondate: 'TransactionDate',
  duedate: 'DueDate',
  calendarmonth: 'CalendarMonth',
};

/**
 * The view context of a list request, and its query without the options the context took; undefined context for a
 * resource that is no derived view. A bad `$ageingdatetype` is a 400 naming the values it takes.
 */
export function viewContextOf(
  definition: ResourceDefinition,
  search: URLSearchParams,
  clock: SandboxClock,
): { context: ViewContext | undefined; search: URLSearchParams } {
  if (definition.derivedFrom === undefined) return { context: undefined, search };
  const today = Math.floor(clock.now() / DAY_MS);
  if (!definition.ageing || !search.has(AGEING_OPTION)) {
    return { context: { today, ageing: 'TransactionDate' }, search };
  }
  const text = search.get(AGEING_OPTION) ?? '';
  const ageing = AGEING_TYPES[text.toLowerCase()];
  if (ageing === undefined) {
    throw new SageApiError(
      400,
      `The query option ${AGEING_OPTION} must be ${Object.keys(AGEING_TYPES).join(', ')}, not '${text}'.`,
    );
  }
  const rest = new URLSearchParams(search);
  rest.delete(AGEING_OPTION);
  return { context: { today, ageing }, search: rest };
}
