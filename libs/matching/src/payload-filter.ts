import {
  $and,
  $eq,
  $exists,
  $gt,
  $gte,
  $in,
  $lt,
  $lte,
  $ne,
  $nin,
  $not,
  $options,
  $or,
  $regex,
  createQueryTester,
} from 'sift';
import { DomainError, ErrorCode } from '@herald/contracts';

/** The operators a filter may use. Anything else ($where, $function, $expr, typos) is rejected. */
export const FILTER_OPERATORS = [
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$exists',
  '$regex',
  '$and',
  '$or',
  '$not',
] as const;

const SIFT_OPERATIONS = {
  $eq,
  $ne,
  $gt,
  $gte,
  $lt,
  $lte,
  $in,
  $nin,
  $exists,
  $regex,
  $options,
  $and,
  $or,
  $not,
};
const ALLOWED = new Set<string>([...FILTER_OPERATORS, '$options']);

const MAX_DEPTH = 12;
const MAX_NODES = 500;
const MAX_REGEX_LENGTH = 256;
const MAX_PATH_LENGTH = 256;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
/** A quantified group that is itself quantified, e.g. (a+)+ : the classic catastrophic-backtracking shape. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]/;

/** A compiled filter: tests an event envelope ({ id, type, workspaceId, occurredAt, data }). */
export type FilterPredicate = (event: unknown) => boolean;

const MATCH_ALL: FilterPredicate = () => true;

/**
 * Validates a Mongo-style filter and compiles it with sift. Paths address the event envelope, e.g.
 * `{"data.communicationType": "sms"}`. null or {} matches every event. Throws
 * DomainError(InvalidFilter) naming the offending path and operator.
 */
export function compileFilter(filter: unknown): FilterPredicate {
  if (filter === null || filter === undefined) return MATCH_ALL;
  const budget = { nodes: 0 };
  checkQuery(filter, '', 0, budget);
  if (Object.keys(filter as object).length === 0) return MATCH_ALL;
  const tester = createQueryTester(filter as Record<string, unknown>, { operations: SIFT_OPERATIONS });
  return (event) => tester(event);
}

function fail(message: string, path: string): never {
  const where = path ? ` at ${path}` : '';
  throw new DomainError(ErrorCode.InvalidFilter, `invalid filter${where}: ${message}`, {
    path: path || null,
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RegExp);
}

function count(budget: { nodes: number }, depth: number, path: string): void {
  budget.nodes += 1;
  if (budget.nodes > MAX_NODES) fail(`more than ${MAX_NODES} conditions`, path);
  if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`, path);
}

/** A query document: field paths and logical operators. */
function checkQuery(query: unknown, path: string, depth: number, budget: { nodes: number }): void {
  count(budget, depth, path);
  if (!isPlainObject(query)) fail('a filter must be a JSON object', path);
  for (const [key, value] of Object.entries(query)) {
    if (key.startsWith('$')) {
      const at = join(path, key);
      if (key === '$and' || key === '$or') checkQueryList(value, at, depth, budget);
      else if (key === '$not') checkOperand(value, at, depth + 1, budget);
      else fail(unsupported(key), at);
    } else {
      checkPath(key, join(path, key));
      checkCondition(value, join(path, key), depth + 1, budget);
    }
  }
}

function checkQueryList(value: unknown, path: string, depth: number, budget: { nodes: number }): void {
  if (!Array.isArray(value) || value.length === 0) fail('expects a non-empty array of conditions', path);
  value.forEach((item, index) => checkQuery(item, `${path}[${index}]`, depth + 1, budget));
}

function checkPath(key: string, path: string): void {
  if (key.length === 0) fail('empty field name', path);
  if (key.length > MAX_PATH_LENGTH) fail(`field path longer than ${MAX_PATH_LENGTH} characters`, path);
  for (const segment of key.split('.')) {
    if (segment.length === 0) fail(`"${key}" has an empty path segment`, path);
    if (FORBIDDEN_SEGMENTS.has(segment)) fail(`"${segment}" is not allowed in a field path`, path);
  }
}

/** What a field path maps to: a literal (equality) or an object of operators. */
function checkCondition(value: unknown, path: string, depth: number, budget: { nodes: number }): void {
  count(budget, depth, path);
  if (!isPlainObject(value)) {
    checkLiteral(value, path);
    return;
  }
  const keys = Object.keys(value);
  const operators = keys.filter((key) => key.startsWith('$'));
  if (operators.length === 0) {
    checkLiteral(value, path);
    return;
  }
  if (operators.length !== keys.length) {
    fail('mixes operators and field names in one object; use one or the other', path);
  }
  checkOperand(value, path, depth, budget);
}

/** An object of operators applied to one field's value. */
function checkOperand(value: unknown, path: string, depth: number, budget: { nodes: number }): void {
  count(budget, depth, path);
  if (!isPlainObject(value) || Object.keys(value).length === 0) fail('expects an object of operators', path);
  for (const [op, arg] of Object.entries(value)) {
    const at = `${path}.${op}`;
    if (!ALLOWED.has(op)) fail(unsupported(op), at);
    switch (op) {
      case '$eq':
      case '$ne':
        checkLiteral(arg, at);
        break;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        if (typeof arg !== 'number' && typeof arg !== 'string') fail('expects a number or a string', at);
        if (typeof arg === 'number' && !Number.isFinite(arg)) fail('expects a finite number', at);
        break;
      case '$in':
      case '$nin':
        if (!Array.isArray(arg)) fail('expects an array of values', at);
        arg.forEach((item, index) => checkLiteral(item, `${at}[${index}]`));
        break;
      case '$exists':
        if (typeof arg !== 'boolean') fail('expects true or false', at);
        break;
      case '$regex':
        checkRegex(arg, typeof value.$options === 'string' ? value.$options : '', at);
        break;
      case '$options':
        if (!('$regex' in value)) fail('is only allowed beside $regex', at);
        if (typeof arg !== 'string' || !/^[imsu]*$/.test(arg)) fail('expects regex flags from "imsu"', at);
        break;
      case '$and':
      case '$or':
        if (!Array.isArray(arg) || arg.length === 0) fail('expects a non-empty array of conditions', at);
        arg.forEach((item, index) => checkCondition(item, `${at}[${index}]`, depth + 1, budget));
        break;
      case '$not':
        checkOperand(arg, at, depth + 1, budget);
        break;
    }
  }
}

function checkRegex(pattern: unknown, flags: string, path: string): void {
  if (typeof pattern !== 'string') fail('expects a regular expression as a string', path);
  if (pattern.length > MAX_REGEX_LENGTH)
    fail(`regular expression longer than ${MAX_REGEX_LENGTH} characters`, path);
  if (NESTED_QUANTIFIER.test(pattern)) {
    fail('nested quantifiers such as (a+)+ can take exponential time; simplify the expression', path);
  }
  try {
    new RegExp(pattern, /^[imsu]*$/.test(flags) ? flags : '');
  } catch (error) {
    fail(`not a valid regular expression (${(error as Error).message})`, path);
  }
}

/** Equality operands are plain JSON; an operator hidden inside one would be silently ignored. */
function checkLiteral(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail('expects a finite number', path);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkLiteral(item, `${path}[${index}]`));
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('$')) fail(`operator ${key} is not allowed inside a literal value`, path);
      checkLiteral(item, `${path}.${key}`);
    }
    return;
  }
  fail(`unsupported value of type ${typeof value}`, path);
}

function unsupported(op: string): string {
  return `unsupported operator ${op}; allowed: ${FILTER_OPERATORS.join(' ')}`;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
