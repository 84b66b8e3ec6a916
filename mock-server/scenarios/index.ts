/** Scenario files (docs/scenarios.md): read, checked against the contract, and applied to a world. */
export { applyScenarios } from './apply.ts';
export type { ScenarioPath, ScenarioProblem, ScenarioSource } from './load.ts';
export {
  formatProblem,
  LoadedScenario,
  loadScenarios,
  parseScenario,
  readScenarioFile,
  ScenarioError,
  scenarioFromObject,
} from './load.ts';
export type { PeriodRef, ScenarioCompany, ScenarioDocument, ScenarioFault } from './schema.ts';
export { POSTING_ENDPOINTS, SCENARIO_VERSION, scenarioSchema } from './schema.ts';
