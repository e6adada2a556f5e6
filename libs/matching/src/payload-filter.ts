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
  createEqualsOperation,
  createQueryTester,
  type Query,
} from 'sift';
import { DomainError, ErrorCode } from '@herald/contracts';
import {
  compileRegex,
  regexCost,
  regexFlags,
  REGEX_MIN_COST,
  type CompiledRegex,
  type FilterRegexLimits,
} from './filter-regex';

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

const ALLOWED = new Set<string>([...FILTER_OPERATORS, '$options']);

const MAX_DEPTH = 12;
const MAX_NODES = 500;
const MAX_PATH_LENGTH = 256;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** A compiled filter: tests an event envelope ({ id, type, workspaceId, occurredAt, data }). */
export type FilterPredicate = (event: unknown) => boolean;

const MATCH_ALL: FilterPredicate = () => true;

/** What a walk over a filter counts, and the regexes it compiled (keyed by options and pattern). */
interface Budget {
  nodes: number;
  regexCost: number;
  regexes: Map<string, CompiledRegex>;
  /** Save-time regex limits; null when compiling a stored filter, already checked when it was saved. */
  limits: FilterRegexLimits | null;
}

/**
 * Checks a filter as it is saved: everything compileFilter checks, plus the regex limits (pattern
 * length, total cost). Throws DomainError(InvalidFilter) naming the path and the problem.
 */
export function validateFilter(filter: unknown, limits: FilterRegexLimits): void {
  compile(filter, limits);
}

/**
 * Compiles a Mongo-style filter with sift; every `$regex` runs on RE2 (filter-regex.ts), never on
 * V8's backtracking RegExp. Paths address the event envelope, e.g. `{"data.communicationType": "sms"}`.
 * null or {} matches every event. For stored filters (router, backfill): the save-time regex limits
 * are validateFilter's, so raising or lowering them never breaks a filter already saved. Throws
 * DomainError(InvalidFilter) naming the offending path and operator.
 */
export function compileFilter(filter: unknown): FilterPredicate {
  return compile(filter, null);
}

function compile(filter: unknown, limits: FilterRegexLimits | null): FilterPredicate {
  if (filter === null || filter === undefined) return MATCH_ALL;
  const budget: Budget = { nodes: 0, regexCost: 0, regexes: new Map(), limits };
  checkQuery(filter, '', 0, budget);
  if (Object.keys(filter as object).length === 0) return MATCH_ALL;
  const tester = createQueryTester(filter as Record<string, unknown>, {
    operations: siftOperations(budget.regexes),
  });
  return (event) => tester(event);
}

type SiftOptions = Parameters<typeof createEqualsOperation>[2];

/** sift's own operators, except `$regex`: it tests with the RE2 program compiled during the check. */
function siftOperations(regexes: Map<string, CompiledRegex>) {
  const $regex = (pattern: string, owner: Query<unknown>, options: SiftOptions) => {
    const regex = regexes.get(regexKey(pattern, ownerOptions(owner)));
    if (!regex) throw new Error('$regex was not checked before compiling');
    return createEqualsOperation(regex.test, owner, options);
  };
  return { $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists, $regex, $options, $and, $or, $not };
}

function ownerOptions(owner: unknown): string {
  const options = (owner as Record<string, unknown>).$options;
  return typeof options === 'string' ? options : '';
}

function regexKey(pattern: string, options: string): string {
  return `${options}/${pattern}`;
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

function count(budget: Budget, depth: number, path: string): void {
  budget.nodes += 1;
  if (budget.nodes > MAX_NODES) fail(`more than ${MAX_NODES} conditions`, path);
  if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`, path);
}

/** A query document: field paths and logical operators. */
function checkQuery(query: unknown, path: string, depth: number, budget: Budget): void {
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

function checkQueryList(value: unknown, path: string, depth: number, budget: Budget): void {
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
function checkCondition(value: unknown, path: string, depth: number, budget: Budget): void {
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
function checkOperand(value: unknown, path: string, depth: number, budget: Budget): void {
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
        checkRegex(arg, ownerOptions(value), at, budget);
        break;
      case '$options': {
        if (!('$regex' in value)) fail('is only allowed beside $regex', at);
        if (typeof arg !== 'string') fail('expects regex flags as a string, e.g. "i"', at);
        const flags = regexFlags(arg);
        if ('problem' in flags) fail(flags.problem, at);
        break;
      }
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

function checkRegex(pattern: unknown, options: string, path: string, budget: Budget): void {
  if (typeof pattern !== 'string') fail('expects a regular expression as a string', path);
  const limits = budget.limits;
  if (limits && pattern.length > limits.maxLength) {
    fail(`regular expression longer than ${limits.maxLength} characters`, path);
  }
  // Letters RE2 cannot honour are refused at $options itself.
  if ('problem' in regexFlags(options)) return;
  const key = regexKey(pattern, options);
  let regex = budget.regexes.get(key);
  if (!regex) {
    const compiled = compileRegex(pattern, options);
    if ('problem' in compiled) fail(compiled.problem, path);
    regex = compiled.regex;
    budget.regexes.set(key, regex);
  }
  // Counted per occurrence: each one is evaluated on its own.
  budget.regexCost += regexCost(regex);
  if (limits && budget.regexCost > limits.maxTotalCost) {
    fail(
      `regular expressions too costly to run: they add up to ${budget.regexCost}, at most ${limits.maxTotalCost} per filter ` +
        `(each costs its compiled size, at least ${REGEX_MIN_COST}; counted repeats such as {50} multiply the size)`,
      path,
    );
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
