/**
 * Type-checked (never run) in the consumer project by pack-and-run.ts: each entry point resolves with its types.
 * Every `@ts-expect-error` fails the check if the package's types were missing, since an `any` accepts anything.
 */
import { createSandbox, type RunningSandbox, startSandbox } from 'sage200-sandbox';
import { type DataTypeStatus, type Sage200Client, type SyncResult, sync } from 'sage200-sandbox/client';
import {
  contractCheckingFetch,
  fakeTiming,
  inProcessClient,
  inProcessFetch,
  type RecordedCall,
  recordingFetch,
} from 'sage200-sandbox/testing';

const app = createSandbox({ seed: 200, scale: 'small' });
const calls: RecordedCall[] = [];
const client: Sage200Client = await inProcessClient(app, 'full@sandbox.test', {
  timing: fakeTiming(),
  fetch: recordingFetch(contractCheckingFetch(inProcessFetch(app), { strict: true }), calls),
});
const result: SyncResult = await sync(client, await client.findCompany());
const status: DataTypeStatus | undefined = result.results[0]?.status;
const running: RunningSandbox = await startSandbox({ port: 0 });
const apiUrl: string = running.apiUrl;

// @ts-expect-error scale is one of small, medium and large
createSandbox({ scale: 'huge' });
// @ts-expect-error list takes only the contract's paths
client.company(await client.findCompany()).list('/no_such_resource');
// @ts-expect-error a sync result has no such field
result.nonsense;

export { apiUrl, status };
