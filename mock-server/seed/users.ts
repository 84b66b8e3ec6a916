/**
 * A company's Sage 200 users (`/users`): the site owner, who is the Sage ID user `/current_user` answers for, and
 * the colleagues whose user names the company's transactions carry (`trading.ts`).
 */
import { blankRecord } from '../world/fields.ts';
import type { SageRecord, SandboxUser } from '../world/model.ts';

function userRecord(id: number, name: string): SageRecord {
  // A user record has no date_time_created or date_time_updated.
  const r = blankRecord('users', '');
  r.id = id;
  r.name = name;
  return r;
}

/** The colleagues, with ids from the company's counter. */
export function colleagueUsers(userNames: readonly string[], nextId: () => number): SageRecord[] {
  return userNames.map((name) => userRecord(nextId(), name));
}

/** The site owner, under the id and logon name `/current_user` gives (`resources/routes.ts`). */
export function ownerUser(user: SandboxUser): SageRecord {
  return userRecord(user.id, user.email);
}

/**
 * Each user's SOP permissions in a company (`/sop_user_permissions`): the site owner may do everything, a
 * colleague may not override prices, credit holds or costs. Every order type takes stock from `warehouseId`.
 */
export function sopUserPermissions(
  users: readonly SageRecord[],
  ownerId: number,
  warehouseId: number | null,
  nextId: () => number,
  stamp: string,
): SageRecord[] {
  return users.map((user) => {
    const owner = user.id === ownerId;
    const r = blankRecord('sop_user_permissions', stamp);
    r.id = nextId();
    r.user_number = user.id as number;
    r.user_name = String(user.name).slice(0, 20);
    r.view_profit_values = owner;
    r.view_price_calculations = true;
    r.override_credit_holds = owner;
    r.override_prices_discounts = owner;
    r.override_fulfilment_method = owner;
    r.override_confirmation_method = owner;
    r.override_cost_price = owner;
    r.generate_purchase_orders = true;
    r.rapid_order_warehouse_id = warehouseId;
    r.trade_order_warehouse_id = warehouseId;
    r.full_order_warehouse_id = warehouseId;
    r.invoice_warehouse_id = warehouseId;
    return r;
  });
}
