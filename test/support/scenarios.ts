/** What the scenario tests share. */
import { ScenarioError } from '../../mock-server/scenarios/index.ts';

/** The problems a scenario refused with, one per line of its error; fails when nothing was refused. */
export function problemsOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ScenarioError');
}
