/**
 * Which problem of a refused body Sage reports: the first it finds. Every problem is placed by the field it
 * concerns (`ordinal`: the field's place in the schema's property order, depth first) and, among one field's
 * problems, by `rank`: a field the body may not set at all is refused before its value is looked at; a value must
 * bind to its .NET type before it is measured; a required field is missing only when nothing worse is wrong with
 * it (a null for a non-nullable field is a conversion error).
 */

export interface Problem {
  ordinal: number;
  rank: number;
  message: string;
}

export const RANK = {
  /** A read-only field changed, an inline item id the record lacks. */
  refused: 0,
  type: 1,
  format: 2,
  maxLength: 3,
  enum: 4,
  /** Any other JSON Schema keyword. */
  otherKeyword: 5,
  required: 6,
} as const;

/** The rank of an Ajv error's keyword. */
export function keywordRank(keyword: string): number {
  switch (keyword) {
    case 'type':
    case 'format':
    case 'maxLength':
    case 'enum':
      return RANK[keyword];
    default:
      return RANK.otherKeyword;
  }
}

/** The problem Sage reports: the earliest field's, the lowest rank among its. */
export function firstProblem(problems: readonly Problem[]): Problem | undefined {
  let first: Problem | undefined;
  for (const problem of problems) {
    if (
      !first ||
      problem.ordinal < first.ordinal ||
      (problem.ordinal === first.ordinal && problem.rank < first.rank)
    ) {
      first = problem;
    }
  }
  return first;
}
