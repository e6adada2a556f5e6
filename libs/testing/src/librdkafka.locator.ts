import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Finds librdkafka.so.1 for the mock cluster (`npm run dev` without a JDK): an explicit
 * HERALD_LIBRDKAFKA_PATH, the copy an installed node-rdkafka built, or the system's (Debian's librdkafka1).
 */
export function locateLibrdkafka(): string {
  const explicit = process.env.HERALD_LIBRDKAFKA_PATH;
  if (explicit) return explicit;
  try {
    const pkg = require.resolve('node-rdkafka/package.json');
    const built = join(dirname(pkg), 'build', 'deps', 'librdkafka.so.1');
    if (existsSync(built)) return built;
  } catch {
    // node-rdkafka is optional when the system library exists
  }
  for (const candidate of [
    '/usr/lib/x86_64-linux-gnu/librdkafka.so.1',
    '/usr/lib/aarch64-linux-gnu/librdkafka.so.1',
    '/usr/lib/librdkafka.so.1',
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    'librdkafka.so.1 not found: install a JDK and Maven to run Apache Kafka instead, or install librdkafka (Debian: librdkafka1; or npm install node-rdkafka), or set HERALD_LIBRDKAFKA_PATH',
  );
}
