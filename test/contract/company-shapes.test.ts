/**
 * The trading group's shapes of company (mock-server/seed/README.md, "Users and sites"): a user with two sites, a
 * site with three companies, seen through the API as a client sees them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxApp } from '../../mock-server/index.ts';
import { GROUP_USER } from '../../mock-server/seed/index.ts';
import { api, groupTestSandbox, mintToken, userOf } from '../support/sandbox.ts';

interface SiteRow {
  site_id: string;
  site_name: string;
  company_id: number;
  company_name: string;
}

describe('a user with more than one site', () => {
  let app: SandboxApp;
  let token: string;

  beforeAll(async () => {
    app = groupTestSandbox();
    token = await mintToken(app, GROUP_USER);
  });

  async function sites(): Promise<SiteRow[]> {
    const response = await app.request(api('/sites'), { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as SiteRow[];
  }

  it("lists both of the group user's sites in /sites, each with its companies", async () => {
    const rows = await sites();
    const user = userOf(app, GROUP_USER);
    const siteIds = [...new Set(rows.map((row) => row.site_id))];
    expect(siteIds).toEqual([user.site_id, ...(user.other_site_ids ?? [])]);
    expect(siteIds).toHaveLength(2);
    for (const siteId of siteIds) {
      const site = app.sandbox.store.site(siteId)!.site;
      expect(rows.filter((row) => row.site_id === siteId).map((row) => row.company_id)).toEqual(
        site.companies.map((company) => company.company_id),
      );
    }
  });

  it('has a site with three companies, and another with one', async () => {
    const rows = await sites();
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.site_id, (counts.get(row.site_id) ?? 0) + 1);
    expect([...counts.values()]).toEqual([3, 1]);
  });

  it('opens a company on either site, and refuses a site the user was not given', async () => {
    const rows = await sites();
    for (const row of rows) {
      const response = await app.request(api('/company_details'), {
        headers: {
          Authorization: `Bearer ${token}`,
          'X-Site': row.site_id,
          'X-Company': String(row.company_id),
        },
      });
      expect(response.status).toBe(200);
      const details = (await response.json()) as { name: string } | { name: string }[];
      expect((Array.isArray(details) ? details[0] : details)?.name).toBe(row.company_name);
    }
    const full = userOf(app, 'full@sandbox.test');
    const company = app.sandbox.store.site(full.site_id)!.site.companies[0]!;
    const refused = await app.request(api('/company_details'), {
      headers: {
        Authorization: `Bearer ${token}`,
        'X-Site': full.site_id,
        'X-Company': String(company.company_id),
      },
    });
    expect(refused.status).toBe(401);
  });

  it('gives one-site users one site still', async () => {
    const fullToken = await mintToken(app, 'full@sandbox.test');
    const response = await app.request(api('/sites'), { headers: { Authorization: `Bearer ${fullToken}` } });
    const rows = (await response.json()) as SiteRow[];
    expect(new Set(rows.map((row) => row.site_id)).size).toBe(1);
  });
});
