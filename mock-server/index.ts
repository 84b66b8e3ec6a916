export type { SandboxApp, SandboxRuntime } from './app.ts';
export { createSandbox } from './app.ts';
export type { SandboxOptions, SandboxOptionsInput } from './options.ts';
export { DEFAULT_OPTIONS, SandboxOptionsError } from './options.ts';
export { API_BASE_PATH } from './resources/routes.ts';
export type { RunningSandbox, StartSandboxOptions } from './server.ts';
export { startSandbox } from './server.ts';
