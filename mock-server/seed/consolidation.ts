/**
 * Group consolidation on the full site: Sandbox Full Ltd is a subsidiary of Sandbox Full Holdings Ltd. The
 * subsidiary keeps its parent's chart as `/consolidated_nominal_codes`, each of its own nominal codes names the
 * parent code it consolidates into (same account number, cost centre and department), and its nominal ledger
 * settings have consolidation on. Every other company consolidates nothing: its list is empty.
 */
import { blankRecord } from '../world/fields.ts';
import type { CompanyWorld, SageRecord } from '../world/model.ts';

export function consolidate(subsidiary: CompanyWorld, parent: CompanyWorld): void {
  const stamp = String(subsidiary.company_details.date_time_created);
  const key = (code: SageRecord): string =>
    `${String(code.reference)}|${String(code.cost_centre_code)}|${String(code.department_code)}`;
  const parentCodes = new Map<string, SageRecord>();
  const consolidated = parent.collections.nominal_codes.map((code) => {
    const r = blankRecord('consolidated_nominal_codes', stamp);
    r.id = subsidiary.next_id++;
    r.name = code.name as string;
    r.reference = code.reference as string;
    r.cost_centre_code = code.cost_centre_code as string;
    r.department_code = code.department_code as string;
    r.nominal_account_type = 'NominalAccountTypeAnalysis';
    r.account_status_type = code.account_status_type as string;
    parentCodes.set(key(code), r);
    return r;
  });
  subsidiary.collections.consolidated_nominal_codes = consolidated;
  for (const code of subsidiary.collections.nominal_codes) {
    const target = parentCodes.get(key(code));
    if (!target) continue;
    code.consolidated_nominal_code_id = target.id as number;
    code.consolidated_nominal_account_number = target.reference as string;
    code.consolidated_nominal_cost_centre = target.cost_centre_code as string;
    code.consolidated_nominal_department = target.department_code as string;
  }
  for (const settings of subsidiary.collections.nominal_ledger_settings ?? [])
    settings.is_consolidation_enabled = true;
}
