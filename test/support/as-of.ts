/**
 * The as-of date every test world is built at unless a test is about the as-of date itself: the world's dates then
 * stay the same whatever day the suite runs, and so do the values tests pin (mock-server/seed/README.md, "Calendar").
 */
import { type WorldDates, worldDates } from '../../mock-server/world/calendar.ts';

export const TEST_AS_OF = '2026-11-02';

/** The dates of a world built at `TEST_AS_OF`. */
export const TEST_DATES: WorldDates = worldDates(TEST_AS_OF);
