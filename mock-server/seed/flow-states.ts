/**
 * The states Microsoft Power Automate flows keep in the company (`/flow_states`): each flow stores one value, here
 * the watermark of a flow that copies new customers and invoices elsewhere.
 */
import type { Faker } from '@faker-js/faker';
import { WORLD_DATES } from '../world/calendar.ts';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';

/** Each flow's name and the time of day (UTC) it last ran, on the last trading day. */
const FLOWS: readonly [name: string, lastRunTime: string][] = [
  ['New customers to CRM', '18:00:00Z'],
  ['Posted invoices to BI', '18:15:00Z'],
];

export function buildFlowStates(nextId: () => number, faker: Faker, stamp: string): SageRecord[] {
  return FLOWS.map(([name, lastRunTime]) => {
    const lastRun = `${WORLD_DATES.tradingEnd}T${lastRunTime}`;
    const r = blankRecord('flow_states', stamp);
    r.id = nextId();
    r.flow_id = faker.string.uuid();
    r.value = JSON.stringify({ flow: name, lastRun });
    return r;
  });
}
