/**
 * One sandbox's fault rules and their counters. Rules are tried in the order they were added; each draws from
 * its own generator seeded by the sandbox seed and the rule's number, so the same seed and the same requests give
 * the same faults, run after run. A FaultSet owns all its state: a sandbox (or a tenant) holds one.
 */

import { AdminError } from '../errors.ts';
import { mixSeed, Rng } from '../seed/random.ts';
import { compilePathPattern, type PathPattern, type RequestPath, requestPath } from './path-pattern.ts';
import type { FaultRuleSpec } from './rules.ts';

/** Most rules one FaultSet holds, so a runaway script cannot grow memory without bound. */
export const MAX_FAULT_RULES = 1000;

/** A rule as `GET /admin/faults` lists it: the spec plus its id and hit counts. */
export type FaultRuleView = { id: string } & FaultRuleSpec & {
    /** Requests that matched the rule's method, path, site, company and client. */
    matches: number;
    /** Matches on which the rule fired. */
    applied: number;
    /** Firings left when `times` was given, else null. */
    remaining: number | null;
  };

/** What the fault middleware knows about a request before the gateway runs. */
export interface FaultRequest {
  method: string;
  target: RequestPath;
  /** The raw X-Site header. */
  site: string | undefined;
  /** The raw X-Company header. */
  company: string | undefined;
  /** The OAuth client: the bearer token's `azp` (unverified) or the token request's client. */
  clientId: string | undefined;
}

/** What to do to one request: the rules that fired ('header' for X-Sandbox-Fault) and their combined effect. */
export interface FaultDecision {
  rules: string[];
  latencyMs: number;
  /** The fault response, when a rule with a status fired. */
  response?: FaultResponseSpec;
  reset: boolean;
}

export interface FaultResponseSpec {
  status: number;
  /** Present when the rule gives a body; absent means the default body for the status. */
  body?: { value: unknown };
  headers: Record<string, string>;
  retryAfter: number | undefined;
}

const RULE_STREAM = 0xfa17;
const HEADER_STREAM = 0x4ead;

class ActiveRule {
  matches = 0;
  applied = 0;
  readonly pattern: PathPattern | undefined;
  readonly target: 'api' | 'sage_id';
  readonly matchRelative: boolean;
  readonly rng: Rng;

  constructor(
    readonly id: string,
    readonly spec: FaultRuleSpec,
    seed: number,
  ) {
    this.rng = new Rng(seed);
    if (spec.path === undefined) {
      this.pattern = undefined;
      this.target = 'api';
      this.matchRelative = true;
    } else {
      const surface = requestPath(spec.path).surface;
      this.pattern = compilePathPattern(spec.path);
      this.target = surface === 'sage_id' ? 'sage_id' : 'api';
      this.matchRelative = surface !== 'api' && surface !== 'sage_id';
    }
  }

  get exhausted(): boolean {
    return this.spec.times !== undefined && this.applied >= this.spec.times;
  }

  matchesRequest(request: FaultRequest): boolean {
    const { spec } = this;
    if (request.target.surface !== this.target) return false;
    if (spec.method !== undefined && spec.method !== request.method) return false;
    if (
      this.pattern &&
      !this.pattern.test(this.matchRelative ? request.target.relative : request.target.path)
    ) {
      return false;
    }
    if (spec.site !== undefined && spec.site.toLowerCase() !== request.site?.trim().toLowerCase())
      return false;
    if (spec.company !== undefined) {
      const company = request.company?.trim();
      if (company === undefined || !/^\d+$/.test(company) || Number(company) !== spec.company) return false;
    }
    if (spec.client_id !== undefined && spec.client_id !== request.clientId) return false;
    return true;
  }

  /** Counts a match and says whether the rule fires on it (`every`, then `probability`). */
  fires(): boolean {
    this.matches += 1;
    const { every, probability } = this.spec;
    if (every !== undefined && this.matches % every !== 0) return false;
    if (probability !== undefined && probability < 1 && !(this.rng.next() < probability)) return false;
    this.applied += 1;
    return true;
  }

  latency(): number {
    const { latency_ms, latency } = this.spec;
    if (latency_ms !== undefined) return latency_ms;
    if (latency) return latency.min_ms + Math.floor(this.rng.next() * (latency.max_ms - latency.min_ms + 1));
    return 0;
  }

  view(): FaultRuleView {
    return {
      id: this.id,
      ...this.spec,
      matches: this.matches,
      applied: this.applied,
      remaining: this.spec.times === undefined ? null : Math.max(0, this.spec.times - this.applied),
    };
  }
}

/** A sandbox's fault rules, tried in order, each with its own seeded generator. */
export class FaultSet {
  readonly #rules = new Map<string, ActiveRule>();
  readonly #seed: number;
  readonly #headerRng: Rng;
  #nextNumber = 1;

  constructor(options: { seed: number }) {
    this.#seed = options.seed;
    this.#headerRng = new Rng(mixSeed(options.seed, HEADER_STREAM));
  }

  /** Adds a validated rule; its id (`fault-N`) is never reused in this set, even after a delete. */
  add(spec: FaultRuleSpec): FaultRuleView {
    if (this.#rules.size >= MAX_FAULT_RULES) {
      throw new AdminError(409, 'too_many_faults', `a sandbox holds at most ${MAX_FAULT_RULES} fault rules`);
    }
    const number = this.#nextNumber++;
    const rule = new ActiveRule(`fault-${number}`, spec, mixSeed(this.#seed, RULE_STREAM, number));
    this.#rules.set(rule.id, rule);
    return rule.view();
  }

  list(): FaultRuleView[] {
    return [...this.#rules.values()].map((rule) => rule.view());
  }

  get(id: string): FaultRuleView | undefined {
    return this.#rules.get(id)?.view();
  }

  remove(id: string): boolean {
    return this.#rules.delete(id);
  }

  /** Removes every rule; returns how many there were. */
  clear(): number {
    const count = this.#rules.size;
    this.#rules.clear();
    return count;
  }

  /** Whether any live rule matches on the client id (so the middleware only looks for it when needed). */
  get needsClientId(): boolean {
    for (const rule of this.#rules.values())
      if (rule.spec.client_id !== undefined && !rule.exhausted) return true;
    return false;
  }

  get size(): number {
    return this.#rules.size;
  }

  /**
   * Tries the rules in order. A rule that only adds latency adds its delay and lets later rules be tried; the
   * first rule with a status or a connection reset that fires ends the search. Undefined when nothing fires.
   */
  decide(request: FaultRequest): FaultDecision | undefined {
    if (request.target.surface !== 'api' && request.target.surface !== 'sage_id') return undefined;
    const decision: FaultDecision = { rules: [], latencyMs: 0, reset: false };
    for (const rule of this.#rules.values()) {
      if (rule.exhausted || !rule.matchesRequest(request) || !rule.fires()) continue;
      decision.rules.push(rule.id);
      decision.latencyMs += rule.latency();
      const { spec } = rule;
      if (spec.status === undefined && !spec.reset_connection) continue;
      if (spec.status !== undefined) decision.response = responseSpec(spec);
      decision.reset = spec.reset_connection === true;
      break;
    }
    return decision.rules.length === 0 ? undefined : decision;
  }

  /** A delay drawn uniformly from [min, max] for the X-Sandbox-Fault header, from the set's own stream. */
  headerLatency(min: number, max: number): number {
    return min + Math.floor(this.#headerRng.next() * (max - min + 1));
  }
}

function responseSpec(spec: FaultRuleSpec): FaultResponseSpec {
  return {
    status: spec.status!,
    ...('body' in spec && spec.body !== undefined ? { body: { value: spec.body } } : {}),
    headers: spec.headers ?? {},
    retryAfter: spec.retry_after,
  };
}
