/**
 * The states Microsoft Power Automate flows keep in the company (`/flow_states`): each flow stores one value, here
 * the watermark of a flow that copies new customers and invoices elsewhere.
 */
import type { Faker } from '@faker-js/faker';
import { blankRecord } from '../world/fields.ts';
import type { SageRecord } from '../world/model.ts';

const FLOWS: readonly [name: string, lastRun: string][] = [
  ['New customers to CRM', '2026-10-31T18:00:00Z'],
  ['Posted invoices to BI', '2026-10-31T18:15:00Z'],
];

export function buildFlowStates(nextId: () => number, faker: Faker, stamp: string): SageRecord[] {
  return FLOWS.map(([name, lastRun]) => {
    const r = blankRecord('flow_states', stamp);
    r.id = nextId();
    r.flow_id = faker.string.uuid();
    r.value = JSON.stringify({ flow: name, lastRun });
    return r;
  });
}
