/**
 * What the API refuses in a JSON body before any DTO, validator or use case sees it. Pure: text and
 * parsed values in, the problem (or nothing) out.
 */

/**
 * Keys refused anywhere in a body: __proto__, constructor, prototype, and every other Object.prototype
 * member (toString, hasOwnProperty, ...). Copying a body into DTOs skips or re-targets such keys, so a
 * filter {"__proto__": {...}} or {"toString": 1} would silently become {} (match-all). None of them
 * is a configuration field, and event payloads never pass through the API.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

/**
 * Whether `text` nests objects and arrays deeper than `maxDepth`. A linear scan of the raw text, so a
 * 20,000-level body is refused before JSON.parse builds it and before anything recursive walks it.
 */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** U+0000 or a lone surrogate: PostgreSQL refuses the first and would store the second as U+FFFD. */
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

export interface BodyProblem {
  path: string;
  kind: 'forbidden-key' | 'unstorable-text';
}

/**
 * The first key in FORBIDDEN_KEYS, or whose dotted segments (filter paths such as "data.__proto__.x")
 * name one, and the first key or string holding text PostgreSQL cannot store as sent; undefined when
 * there is none. Iterative, and JSON.parse keeps such keys as own properties, so none is missed.
 */
export function bodyProblem(value: unknown): BodyProblem | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      if (unstorable(node)) return { path, kind: 'unstorable-text' };
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      node.forEach((item, index) => stack.push([item, `${path}[${index}]`]));
      continue;
    }
    for (const key of Object.keys(node)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (key.split('.').some((segment) => FORBIDDEN_KEYS.has(segment))) {
        return { path: keyPath, kind: 'forbidden-key' };
      }
      if (unstorable(key)) return { path: keyPath, kind: 'unstorable-text' };
      stack.push([(node as Record<string, unknown>)[key], keyPath]);
    }
  }
  return undefined;
}

/** The path of the first forbidden key (see bodyProblem), or undefined. */
export function forbiddenKeyPath(value: unknown): string | undefined {
  const problem = bodyProblem(value);
  return problem?.kind === 'forbidden-key' ? problem.path : undefined;
}
