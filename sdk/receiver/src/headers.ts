/** Fetch `Headers`, or the plain objects Node, Express, Fastify and NestJS hand over. */
export type HeadersLike =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

/** A header's value by case-insensitive name; repeated headers are joined as HTTP joins them. */
export function readHeader(headers: HeadersLike, name: string): string | undefined {
  const lower = name.toLowerCase();
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(lower) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  let value = record[lower] ?? record[name];
  if (value === undefined) {
    const key = Object.keys(record).find((key) => key.toLowerCase() === lower);
    value = key === undefined ? undefined : record[key];
  }
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(', ');
}
