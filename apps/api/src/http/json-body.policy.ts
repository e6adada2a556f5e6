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

/**
 * The path of the first key in FORBIDDEN_KEYS, or whose dotted segments (filter paths such as
 * "data.__proto__.x") name one; undefined when there is none. Iterative, and
 * JSON.parse keeps such keys as own properties, so none is missed.
 */
export function forbiddenKeyPath(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      node.forEach((item, index) => stack.push([item, `${path}[${index}]`]));
      continue;
    }
    for (const key of Object.keys(node)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (key.split('.').some((segment) => FORBIDDEN_KEYS.has(segment))) return keyPath;
      stack.push([(node as Record<string, unknown>)[key], keyPath]);
    }
  }
  return undefined;
}
