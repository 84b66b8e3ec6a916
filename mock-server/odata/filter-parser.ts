/**
 * Recursive-descent parser for Sage's `$filter` subset, checked against the resource model
 * (https://developer.sage.com/200/guides/query-parameters). Grammar, loosest first:
 *
 *   filter     = or end
 *   or         = and *( "or" and )
 *   and        = not *( "and" not )
 *   not        = "not" not / comparison
 *   comparison = operand [ ( "eq" / "ne" / "gt" / "ge" / "lt" / "le" ) operand ]
 *   operand    = "(" or ")" / function "(" property "," string ")" / property / literal
 */

import { ODataError } from './errors.ts';
import { filterSyntaxError, type Token, tokenize } from './lexer.ts';
import { type FieldModel, fieldOf, type ResourceModel } from './model.ts';
import { enumLookup, foldCase, type Instant } from './values.ts';

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type StringFunction = 'contains' | 'startswith' | 'endswith';

/** A literal after checking it against the field it is compared with. */
export type FilterValue =
  | { type: 'null' }
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'date-time'; value: Instant; text: string }
  | { type: 'enum'; value: number };

/** A type-checked `$filter` expression; `and`/`or` chains are flat so long chains don't nest deeply. */
export type FilterExpression =
  | { kind: 'and' | 'or'; operands: readonly FilterExpression[] }
  | { kind: 'not'; operand: FilterExpression }
  | { kind: 'compare'; field: string; operator: ComparisonOperator; value: FilterValue }
  | { kind: 'function'; name: StringFunction; field: string; value: string };

const COMPARISON_OPERATORS: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const STRING_FUNCTIONS: ReadonlySet<string> = new Set(['contains', 'startswith', 'endswith']);
const KEYWORDS: ReadonlySet<string> = new Set([
  ...COMPARISON_OPERATORS,
  'and',
  'or',
  'not',
  'true',
  'false',
  'null',
]);
const FLIPPED: Readonly<Record<ComparisonOperator, ComparisonOperator>> = {
  eq: 'eq',
  ne: 'ne',
  gt: 'lt',
  ge: 'le',
  lt: 'gt',
  le: 'ge',
};
/** Parentheses and `not` recurse; this bound turns a hostile query into a 400 instead of a stack overflow. */
const MAX_DEPTH = 100;

type Literal =
  | { kind: 'string'; value: string; text: string; position: number }
  | { kind: 'number'; value: number; text: string; position: number }
  | { kind: 'date' | 'date-time'; value: Instant; text: string; position: number }
  | { kind: 'boolean'; value: boolean; text: string; position: number }
  | { kind: 'null'; text: string; position: number };

type Operand =
  | { kind: 'property'; name: string; field: FieldModel; position: number }
  | { kind: 'literal'; literal: Literal }
  | { kind: 'condition'; expression: FilterExpression; position: number };

function semanticError(position: number, problem: string): ODataError {
  return new ODataError(`Invalid $filter at position ${position}: ${problem}.`, {
    option: '$filter',
    position,
  });
}

function describeToken(token: Token): string {
  return token.kind === 'end' ? 'the end of the expression' : `'${token.text}'`;
}

function describeLiteral(literal: Literal): string {
  switch (literal.kind) {
    case 'string':
      return `the string ${literal.text}`;
    case 'number':
      return `the number ${literal.text}`;
    case 'date':
      return `the date ${literal.text}`;
    case 'date-time':
      return `the date-time ${literal.text}`;
    case 'boolean':
    case 'null':
      return literal.text;
    default: {
      const unknown: never = literal;
      throw new Error(`Unknown literal ${String(unknown)}`);
    }
  }
}

/** Parses and type-checks a `$filter` value against the model. Throws ODataError naming the problem. */
export function parseFilter(text: string, model: ResourceModel): FilterExpression {
  return new FilterParser(tokenize(text), model).parse();
}

class FilterParser {
  private readonly tokens: readonly Token[];
  private readonly model: ResourceModel;
  private index = 0;
  private depth = 0;

  constructor(tokens: readonly Token[], model: ResourceModel) {
    this.tokens = tokens;
    this.model = model;
  }

  parse(): FilterExpression {
    const expression = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') {
      throw filterSyntaxError(
        next.position,
        `expected 'and', 'or' or the end of the expression but found ${this.describeUnexpected(next)}`,
      );
    }
    return expression;
  }

  private peek(): Token {
    // tokenize always ends with an `end` token and the parser never moves past it
    return this.tokens[this.index] as Token;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private atKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.kind === 'identifier' && token.text === keyword;
  }

  private describeUnexpected(token: Token): string {
    const lower = token.text.toLowerCase();
    if (token.kind === 'identifier' && lower !== token.text && KEYWORDS.has(lower)) {
      return `'${token.text}' (operators are lowercase: '${lower}')`;
    }
    return describeToken(token);
  }

  private expect(kind: 'rparen' | 'comma' | 'lparen', what: string): Token {
    const token = this.peek();
    if (token.kind !== kind) {
      throw filterSyntaxError(token.position, `expected ${what} but found ${this.describeUnexpected(token)}`);
    }
    return this.advance();
  }

  private enter(position: number): void {
    if (++this.depth > MAX_DEPTH) {
      throw filterSyntaxError(position, `the expression is nested more than ${MAX_DEPTH} levels deep`);
    }
  }

  private parseOr(): FilterExpression {
    const operands = [this.parseAnd()];
    while (this.atKeyword('or')) {
      this.advance();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? (operands[0] as FilterExpression) : { kind: 'or', operands };
  }

  private parseAnd(): FilterExpression {
    const operands = [this.parseNot()];
    while (this.atKeyword('and')) {
      this.advance();
      operands.push(this.parseNot());
    }
    return operands.length === 1 ? (operands[0] as FilterExpression) : { kind: 'and', operands };
  }

  private parseNot(): FilterExpression {
    if (!this.atKeyword('not')) return this.parseComparison();
    const not = this.advance();
    this.enter(not.position);
    const operand = this.parseNot();
    this.depth--;
    return { kind: 'not', operand };
  }

  private parseComparison(): FilterExpression {
    const left = this.parseOperand();
    const next = this.peek();
    if (next.kind === 'identifier' && COMPARISON_OPERATORS.has(next.text)) {
      this.advance();
      const right = this.parseOperand();
      return this.compare(left, next.text as ComparisonOperator, right, next.position);
    }
    const followsOperand =
      next.kind === 'identifier'
        ? next.text !== 'and' && next.text !== 'or'
        : next.kind !== 'end' && next.kind !== 'rparen' && next.kind !== 'comma';
    if (followsOperand) {
      throw filterSyntaxError(
        next.position,
        `expected an operator (eq, ne, gt, ge, lt, le, and, or) but found ${this.describeUnexpected(next)}`,
      );
    }
    switch (left.kind) {
      case 'condition':
        return left.expression;
      case 'property':
        if (left.field.type === 'boolean') {
          return {
            kind: 'compare',
            field: left.name,
            operator: 'eq',
            value: { type: 'boolean', value: true },
          };
        }
        throw semanticError(
          left.position,
          `property '${left.name}' is not a boolean, so it needs a comparison such as '${left.name} eq ...'`,
        );
      case 'literal':
        throw semanticError(
          left.literal.position,
          `${describeLiteral(left.literal)} on its own is not a condition; compare a property with it`,
        );
      default: {
        const unknown: never = left;
        throw new Error(`Unknown operand ${String(unknown)}`);
      }
    }
  }

  private parseOperand(): Operand {
    const token = this.advance();
    switch (token.kind) {
      case 'lparen': {
        this.enter(token.position);
        const expression = this.parseOr();
        this.expect('rparen', "')'");
        this.depth--;
        return { kind: 'condition', expression, position: token.position };
      }
      case 'string':
      case 'number':
      case 'date':
      case 'date-time':
        return { kind: 'literal', literal: { ...token } };
      case 'identifier':
        return this.parseIdentifier(token.text, token.position);
      case 'rparen':
      case 'comma':
      case 'end':
        throw filterSyntaxError(
          token.position,
          `expected a property, a literal or '(' but found ${describeToken(token)}`,
        );
      default: {
        const unknown: never = token;
        throw new Error(`Unknown token ${String(unknown)}`);
      }
    }
  }

  private parseIdentifier(name: string, position: number): Operand {
    if (name === 'true' || name === 'false') {
      return { kind: 'literal', literal: { kind: 'boolean', value: name === 'true', text: name, position } };
    }
    if (name === 'null') return { kind: 'literal', literal: { kind: 'null', text: name, position } };
    if (KEYWORDS.has(name)) {
      throw filterSyntaxError(position, `expected a property, a literal or '(' but found '${name}'`);
    }
    if (this.peek().kind === 'lparen') return this.parseFunction(name, position);
    const field = fieldOf(this.model, name);
    if (field === undefined) {
      throw semanticError(position, `Could not find a property named '${name}' on type '${this.model.name}'`);
    }
    if (field.type === 'object' || field.type === 'array') {
      throw semanticError(
        position,
        `property '${name}' on type '${this.model.name}' is ${field.type === 'object' ? 'an object' : 'an array'} and can't be filtered`,
      );
    }
    return { kind: 'property', name, field, position };
  }

  private parseFunction(name: string, position: number): Operand {
    if (!STRING_FUNCTIONS.has(name)) {
      throw semanticError(
        position,
        `the function '${name}' is not supported (supported: ${[...STRING_FUNCTIONS].join(', ')})`,
      );
    }
    this.expect('lparen', "'('");
    const subject = this.parseOperand();
    this.expect('comma', "','");
    const argument = this.parseOperand();
    this.expect('rparen', "')'");
    if (subject.kind !== 'property') {
      throw semanticError(position, `the first argument of ${name} must be a property`);
    }
    if (subject.field.type !== 'string' || subject.field.enumValues !== undefined) {
      throw semanticError(
        subject.position,
        `${name} needs a string property, but '${subject.name}' on type '${this.model.name}' is ${this.describeField(subject.field)}`,
      );
    }
    if (argument.kind !== 'literal' || argument.literal.kind !== 'string') {
      const found =
        argument.kind === 'literal' ? describeLiteral(argument.literal) : 'a property or expression';
      throw semanticError(position, `the second argument of ${name} must be a quoted string, not ${found}`);
    }
    const expression: FilterExpression = {
      kind: 'function',
      name: name as StringFunction,
      field: subject.name,
      value: argument.literal.value,
    };
    return { kind: 'condition', expression, position };
  }

  private compare(
    left: Operand,
    operator: ComparisonOperator,
    right: Operand,
    position: number,
  ): FilterExpression {
    if (left.kind === 'property' && right.kind === 'literal') {
      return this.comparison(left, operator, right.literal);
    }
    if (left.kind === 'literal' && right.kind === 'property') {
      return this.comparison(right, FLIPPED[operator], left.literal);
    }
    if (left.kind === 'condition' && right.kind === 'literal') {
      return this.compareCondition(left.expression, operator, right.literal, position);
    }
    if (left.kind === 'literal' && right.kind === 'condition') {
      return this.compareCondition(right.expression, operator, left.literal, position);
    }
    if (left.kind === 'property' && right.kind === 'property') {
      throw semanticError(
        position,
        `comparing two properties ('${left.name}' ${operator} '${right.name}') is not supported; compare a property with a literal`,
      );
    }
    if (left.kind === 'literal' && right.kind === 'literal') {
      throw semanticError(
        position,
        `comparing two literals (${left.literal.text} ${operator} ${right.literal.text}) is not supported; compare a property with a literal`,
      );
    }
    throw semanticError(position, `'${operator}' must compare a property with a literal`);
  }

  /** `contains(name,'x') eq false` and the like: a condition compared with a boolean literal. */
  private compareCondition(
    expression: FilterExpression,
    operator: ComparisonOperator,
    literal: Literal,
    position: number,
  ): FilterExpression {
    if (literal.kind !== 'boolean') {
      throw semanticError(
        literal.position,
        `a condition can only be compared with true or false, not ${describeLiteral(literal)}`,
      );
    }
    if (operator !== 'eq' && operator !== 'ne') {
      throw semanticError(position, `'${operator}' can't compare booleans; use eq or ne`);
    }
    const keep = (operator === 'eq') === literal.value;
    return keep ? expression : { kind: 'not', operand: expression };
  }

  private describeField(field: FieldModel): string {
    if (field.enumValues !== undefined) return 'an enum';
    switch (field.type) {
      case 'string':
        return 'a string';
      case 'integer':
        return 'an integer';
      case 'number':
        return 'a number';
      case 'boolean':
        return 'a boolean';
      case 'date-time':
        return 'a date-time';
      case 'object':
        return 'an object';
      case 'array':
        return 'an array';
      default: {
        const unknown: never = field.type;
        throw new Error(`Unknown field type ${String(unknown)}`);
      }
    }
  }

  /** Checks `property operator literal` and converts the literal to the value compared at run time. */
  private comparison(
    property: Extract<Operand, { kind: 'property' }>,
    operator: ComparisonOperator,
    literal: Literal,
  ): FilterExpression {
    const { name: field } = property;
    const mismatch = (hint: string): ODataError =>
      semanticError(
        literal.position,
        `property '${field}' on type '${this.model.name}' is ${this.describeField(property.field)} and can't be compared with ${describeLiteral(literal)}${hint}`,
      );
    const make = (value: FilterValue): FilterExpression => ({ kind: 'compare', field, operator, value });

    if (literal.kind === 'null') {
      if (operator !== 'eq' && operator !== 'ne') {
        throw semanticError(
          literal.position,
          `'${operator}' can't be used with null; only eq and ne compare with null`,
        );
      }
      return make({ type: 'null' });
    }
    const { enumValues } = property.field;
    if (enumValues !== undefined) return make(this.enumValue(field, enumValues, literal));
    switch (property.field.type) {
      case 'string':
        if (literal.kind !== 'string') throw mismatch(' (string values go in single quotes)');
        return make({ type: 'string', value: literal.value });
      case 'integer':
      case 'number':
        if (literal.kind !== 'number') {
          throw mismatch(literal.kind === 'string' ? ' (numbers are written without quotes)' : '');
        }
        return make({ type: 'number', value: literal.value });
      case 'boolean':
        if (literal.kind !== 'boolean') throw mismatch(' (use true or false)');
        if (operator !== 'eq' && operator !== 'ne') {
          throw semanticError(
            literal.position,
            `'${operator}' can't be used with boolean property '${field}'; use eq or ne`,
          );
        }
        return make({ type: 'boolean', value: literal.value });
      case 'date-time':
        if (literal.kind !== 'date' && literal.kind !== 'date-time') {
          throw mismatch(
            ' (write a date such as 2016-02-23 or a UTC date-time such as 2016-02-24T09:52:11Z, unquoted)',
          );
        }
        return make({ type: 'date-time', value: literal.value, text: literal.text });
      case 'object':
      case 'array':
        throw mismatch('');
      default: {
        const unknown: never = property.field.type;
        throw new Error(`Unknown field type ${String(unknown)}`);
      }
    }
  }

  /** Sage enums are filtered by name or number in quotes: `'TradingAccountEntryTypeInvoice'` or `'1'`. */
  private enumValue(
    field: string,
    enumValues: Readonly<Record<string, number>>,
    literal: Literal,
  ): FilterValue {
    const lookup = enumLookup(enumValues);
    let value: number | undefined;
    if (literal.kind === 'string') {
      value = lookup.byName.get(foldCase(literal.value));
      if (value === undefined && /^-?\d+$/.test(literal.value)) value = Number(literal.value);
    } else if (literal.kind === 'number') {
      value = literal.value;
    } else {
      throw semanticError(
        literal.position,
        `enum property '${field}' on type '${this.model.name}' expects an enum name or value in quotes, not ${describeLiteral(literal)}`,
      );
    }
    if (value === undefined || !lookup.values.has(value)) {
      const allowed = Object.entries(enumValues)
        .map(([name, number]) => `${name} (${number})`)
        .join(', ');
      throw semanticError(
        literal.position,
        `${literal.text} is not a value of enum property '${field}' on type '${this.model.name}'; allowed: ${allowed}`,
      );
    }
    return { type: 'enum', value };
  }
}
