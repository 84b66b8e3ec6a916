/**
 * Keeps the records the proxy saw and writes them as a scenario file in the shared core of issue 14's format
 * (`version`, `name`, `sites` > `companies` > `base: empty` + `records` by collection path). Only whole records of
 * stored collections are kept (a GET without `$select`, `$expand`, `$metadata` or `$count` of a list or record of a
 * collection that is not a view): the sandbox derives views and partial answers from them when it replays.
 */
import { createHash } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { ResourceCatalog } from '../../contracts/index.ts';
import { maskRecord, maskValue } from './masking.ts';

/** What the proxy knows of one exchange worth recording. */
export interface RecordedRead {
  /** The path without the API base: `/customers/27801`. */
  path: string;
  query: URLSearchParams;
  /** The contract's template the path falls under: `/customers/{Id}`. */
  template: string;
  site: string;
  company: string;
  body: unknown;
}

export interface RecorderOptions {
  /** The scenario's `name` (kebab-case). */
  name: string;
  description: string;
  /** Mask personal data (the default); false with `--no-mask`. */
  mask: boolean;
  /** The X-Company of the first company recorded in the file; later ones count up from it. */
  firstCompanyId: number;
}

const PARTIAL_OPTIONS = ['$select', '$expand', '$metadata', '$count'];
/** Who may sign in to the recorded site when the scenario is loaded. */
export const RECORDED_USER = 'recorded@example.test';

interface CompanyRecords {
  realSite: string;
  realCompany: string;
  id: number;
  name: string;
  records: Map<string, Map<string, Record<string, unknown>>>;
}

export class ScenarioRecorder {
  readonly #companies = new Map<string, CompanyRecords>();
  readonly #names = new Map<string, string>();

  constructor(
    private readonly catalog: ResourceCatalog,
    private readonly options: RecorderOptions,
  ) {}

  /** The stored collection a template reads whole records of, or undefined when it is not recorded. */
  collectionOf(template: string): string | undefined {
    const segments = template.split('/').filter(Boolean);
    const last = segments.at(-1) ?? '';
    const collection = last.startsWith('{') ? segments.at(-2) : last;
    if (collection === undefined) return undefined;
    const resource = this.catalog.resources.find((r) => r.path === collection);
    if (!resource?.list || resource.enumeration) return undefined;
    if (
      resource.viewOf !== undefined ||
      resource.derivedFrom !== undefined ||
      resource.collection !== collection
    )
      return undefined;
    return collection;
  }

  /** `/sites` answers name the companies; their names are kept (masked) for the scenario. */
  noteSites(body: unknown): void {
    if (!Array.isArray(body)) return;
    for (const entry of body as { site_id?: unknown; company_id?: unknown; company_name?: unknown }[]) {
      if (typeof entry.company_name === 'string') {
        this.#names.set(`${String(entry.site_id)}\0${String(entry.company_id)}`, entry.company_name);
      }
    }
  }

  /** Keeps the records of a whole-record read; answers how many were kept (0 when the read is not recorded). */
  record(read: RecordedRead): number {
    const collection = this.collectionOf(read.template);
    if (collection === undefined || PARTIAL_OPTIONS.some((option) => read.query.has(option))) return 0;
    const records = (Array.isArray(read.body) ? read.body : [read.body]).filter(
      (record): record is Record<string, unknown> =>
        typeof record === 'object' && record !== null && !Array.isArray(record) && record.id !== undefined,
    );
    if (records.length === 0) return 0;
    const company = this.#company(read.site, read.company);
    let kept = company.records.get(collection);
    if (!kept) {
      kept = new Map();
      company.records.set(collection, kept);
    }
    for (const record of records) {
      kept.set(String(record.id), this.options.mask ? maskRecord(collection, record) : record);
    }
    return records.length;
  }

  #company(site: string, company: string): CompanyRecords {
    const key = `${site}\0${company}`;
    let found = this.#companies.get(key);
    if (!found) {
      const id = this.options.firstCompanyId + this.#companies.size;
      found = {
        realSite: site,
        realCompany: company,
        id,
        name: `Recorded company ${id}`,
        records: new Map(),
      };
      this.#companies.set(key, found);
    }
    return found;
  }

  /** The scenario document: one site per real site, its id a GUID derived from the real one. */
  document(): Record<string, unknown> {
    const sites = new Map<string, Record<string, unknown>[]>();
    for (const company of this.#companies.values()) {
      const realName = this.#names.get(`${company.realSite}\0${company.realCompany}`);
      const name = realName === undefined ? company.name : this.options.mask ? maskValue(realName) : realName;
      const records: Record<string, unknown[]> = {};
      for (const collection of [...company.records.keys()].sort()) {
        const byId = company.records.get(collection)!;
        records[collection] = [...byId.values()];
      }
      const list = sites.get(company.realSite) ?? [];
      list.push({ id: company.id, name, base: 'empty', records });
      sites.set(company.realSite, list);
    }
    return {
      version: 1,
      name: this.options.name,
      description: this.options.description,
      sites: [...sites].map(([realSite, companies], index) => ({
        id: derivedGuid(realSite),
        name: `Recorded site ${index + 1}`,
        kind: 'full',
        users: [RECORDED_USER],
        companies,
      })),
    };
  }

  /** The recorded companies: the real X-Site and X-Company, and the ids the scenario serves them under. */
  companies(): { realSite: string; realCompany: string; site: string; company: number }[] {
    return [...this.#companies.values()].map((c) => ({
      realSite: c.realSite,
      realCompany: c.realCompany,
      site: derivedGuid(c.realSite),
      company: c.id,
    }));
  }

  /** Writes the file whole, through a temporary name, so a reader never sees half of it. */
  write(file: string): void {
    const text = `# Recorded by sage200-sandbox proxy (docs/verify.md). ${this.options.mask ? 'Personal data masked.' : 'NOT masked (--no-mask).'}\n${stringify(this.document(), { lineWidth: 0 })}`;
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  }
}

/** A lowercase GUID in the seeded sites' style, the same for the same real site id. */
export function derivedGuid(value: string): string {
  const hex = createHash('sha256').update(`sage200-sandbox recorded site\0${value}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
