/** Splits a `$filter` value into tokens (https://developer.sage.com/200/guides/query-parameters). */

import { ODataError } from './errors.ts';
import { type Instant, isCalendarDate, parseInstant } from './values.ts';

export type Token =
  | { kind: 'lparen' | 'rparen' | 'comma' | 'end' | 'identifier'; position: number; text: string }
  | { kind: 'string'; position: number; text: string; value: string }
  | { kind: 'number'; position: number; text: string; value: number }
  | { kind: 'date' | 'date-time'; position: number; text: string; value: Instant };

/** The error for a problem at one offset of the `$filter` text. */
export function filterSyntaxError(position: number, problem: string): ODataError {
  return new ODataError(`Syntax error in $filter at position ${position}: ${problem}.`, {
    option: '$filter',
    position,
  });
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;
const DATE = /(\d{4})-(\d{2})-(\d{2})/y;
const TIME = /T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?/y;
const WORD_CHAR = /[A-Za-z0-9_.]/;

function matchAt(pattern: RegExp, text: string, position: number): RegExpExecArray | null {
  pattern.lastIndex = position;
  return pattern.exec(text);
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

/** Tokenizes a `$filter` value; the last token is always `end`. Throws ODataError on a lexical error. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      i++;
    } else if (char === '(' || char === ')' || char === ',') {
      tokens.push({
        kind: char === '(' ? 'lparen' : char === ')' ? 'rparen' : 'comma',
        position: i,
        text: char,
      });
      i++;
    } else if (char === "'") {
      const token = readString(text, i);
      tokens.push(token);
      i += token.text.length;
    } else if (isDigit(char) || (char === '-' && isDigit(text[i + 1]))) {
      const token = readDateOrNumber(text, i);
      tokens.push(token);
      i += token.text.length;
    } else {
      const identifier = matchAt(IDENTIFIER, text, i);
      if (identifier === null) {
        const hint = char === '"' ? ' (string literals use single quotes)' : '';
        throw filterSyntaxError(i, `unexpected character '${char}'${hint}`);
      }
      const name = identifier[0];
      const after = text[i + name.length];
      if ((after === '/' || after === '.') && matchAt(IDENTIFIER, text, i + name.length + 1) !== null) {
        throw filterSyntaxError(
          i,
          `filtering on a property of a related object ('${name}${after}...') is not supported`,
        );
      }
      tokens.push({ kind: 'identifier', position: i, text: name });
      i += name.length;
    }
  }
  tokens.push({ kind: 'end', position: text.length, text: '' });
  return tokens;
}

function readString(text: string, start: number): Token {
  let value = '';
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf("'", i);
    if (quote === -1) throw filterSyntaxError(start, 'unterminated string literal (no closing quote)');
    value += text.slice(i, quote);
    if (text[quote + 1] === "'") {
      value += "'"; // '' is an escaped quote
      i = quote + 2;
    } else {
      return { kind: 'string', position: start, text: text.slice(start, quote + 1), value };
    }
  }
}

function readDateOrNumber(text: string, start: number): Token {
  const date = matchAt(DATE, text, start);
  if (date !== null) return readDate(text, start, date);
  const number = matchAt(NUMBER, text, start);
  const literal = number?.[0] ?? text.slice(start, start + 1);
  const end = start + literal.length;
  if (text[end] === '-' && isDigit(text[end + 1])) {
    throw filterSyntaxError(start, 'malformed date literal (dates are written YYYY-MM-DD, e.g. 2016-02-23)');
  }
  const next = text[end];
  if (next !== undefined && WORD_CHAR.test(next)) {
    throw filterSyntaxError(start, `malformed number literal '${literal}${next}'`);
  }
  const value = Number(literal);
  if (!literal.includes('.') && !Number.isSafeInteger(value)) {
    throw filterSyntaxError(start, `the number ${literal} is too large`);
  }
  return { kind: 'number', position: start, text: literal, value };
}

function readDate(text: string, start: number, date: RegExpExecArray): Token {
  const dateText = date[0];
  if (!isCalendarDate(Number(date[1]), Number(date[2]), Number(date[3]))) {
    throw filterSyntaxError(start, `'${dateText}' is not a valid calendar date`);
  }
  let end = start + dateText.length;
  if (text[end] !== 'T') {
    const next = text[end];
    if (next !== undefined && (WORD_CHAR.test(next) || next === ':' || next === '-')) {
      throw filterSyntaxError(start, `malformed date literal near '${text.slice(start, end + 1)}'`);
    }
    return { kind: 'date', position: start, text: dateText, value: parseInstant(dateText) ?? Number.NaN };
  }
  const time = matchAt(TIME, text, end);
  if (time === null) {
    throw filterSyntaxError(
      start,
      `malformed date-time literal near '${text.slice(start, end + 6)}' (expected e.g. 2016-02-24T09:52:11Z)`,
    );
  }
  end += time[0].length;
  const local = text.slice(start, end);
  if (text[end] !== 'Z') {
    const offset = text[end] === '+' || text[end] === '-' ? ' instead of a UTC offset' : '';
    throw filterSyntaxError(
      start,
      `the date-time '${local}' has no time zone: Sage requires times in UTC ending in 'Z'${offset}, e.g. ${local}Z`,
    );
  }
  end++;
  const next = text[end];
  if (next !== undefined && WORD_CHAR.test(next)) {
    throw filterSyntaxError(start, `malformed date-time literal near '${text.slice(start, end + 1)}'`);
  }
  const literal = `${local}Z`;
  // The same reader as for stored values, so a literal copied from a record compares equal to it.
  const value = parseInstant(literal);
  if (value === undefined) throw filterSyntaxError(start, `'${literal}' is not a valid time of day`);
  return { kind: 'date-time', position: start, text: literal, value };
}
