/**
 * The `X-Sandbox-Fault` request header: a one-off fault for the request that carries it, written as
 * `;`-separated items: `status=429;retry-after=2`, `latency=300`, `latency=100-400`, `status=503`, `reset`.
 */
import { echoed } from '../errors.ts';
import { MAX_LATENCY_MS } from './rules.ts';

export const FAULT_HEADER = 'X-Sandbox-Fault';

/** The header's meaning; a latency range is drawn when the fault is applied. */
export interface HeaderFault {
  status?: number;
  retryAfter?: number;
  latency?: { min: number; max: number };
  reset: boolean;
}

/** A header the sandbox cannot read; the message names the problem. */
export class FaultHeaderError extends Error {}

const KEYS = ['status', 'retry-after', 'latency', 'reset'] as const;
type Key = (typeof KEYS)[number];

/** Reads an X-Sandbox-Fault value; throws FaultHeaderError naming the problem. */
export function parseFaultHeader(raw: string): HeaderFault {
  const fault: HeaderFault = { reset: false };
  const seen = new Set<Key>();
  const items = raw
    .split(';')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw problem(`is empty; try ${FAULT_HEADER}: status=503`);
  for (const item of items) {
    const equals = item.indexOf('=');
    const name = (equals < 0 ? item : item.slice(0, equals)).trim().toLowerCase();
    const value = equals < 0 ? undefined : item.slice(equals + 1).trim();
    if (!isKey(name))
      throw problem(`has an unknown item '${echoed(name)}'; the items are ${KEYS.join(', ')}`);
    if (seen.has(name)) throw problem(`gives ${name} twice`);
    seen.add(name);
    switch (name) {
      case 'status':
        fault.status = wholeNumber(name, value, 400, 599, 'an HTTP error status from 400 to 599');
        break;
      case 'retry-after':
        fault.retryAfter = wholeNumber(name, value, 0, 86_400, 'a whole number of seconds');
        break;
      case 'latency': {
        const range = /^(\d+)\s*-\s*(\d+)$/.exec(value ?? '');
        const what = `milliseconds from 0 to ${MAX_LATENCY_MS}, or a range such as 100-400`;
        if (range) {
          const min = wholeNumber(name, range[1], 0, MAX_LATENCY_MS, what);
          const max = wholeNumber(name, range[2], 0, MAX_LATENCY_MS, what);
          if (min > max) throw problem(`latency range ${echoed(range[0])} runs backwards`);
          fault.latency = { min, max };
        } else {
          const ms = wholeNumber(name, value, 0, MAX_LATENCY_MS, what);
          fault.latency = { min: ms, max: ms };
        }
        break;
      }
      case 'reset':
        if (value !== undefined && value.toLowerCase() !== 'true') throw problem('item reset takes no value');
        fault.reset = true;
        break;
      default: {
        const never: never = name;
        throw new Error(`unhandled fault header item ${String(never)}`);
      }
    }
  }
  if (fault.retryAfter !== undefined && fault.status === undefined) {
    throw problem('gives retry-after without a status; try status=429;retry-after=2');
  }
  return fault;
}

function isKey(name: string): name is Key {
  return (KEYS as readonly string[]).includes(name);
}

function wholeNumber(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
  what: string,
): number {
  if (value === undefined || !/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw problem(`item ${name} must be ${what}, not '${echoed(value ?? '')}'`);
  }
  return Number(value);
}

function problem(message: string): FaultHeaderError {
  return new FaultHeaderError(`The ${FAULT_HEADER} header ${message}.`);
}
