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
