import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The pom that pins the broker version; nothing else about Kafka is committed. */
export const KAFKA_POM = resolve(__dirname, '../../kafka/pom.xml');

export interface KafkaDistribution {
  version: string;
  /** The broker's runtime classpath: jars in the local Maven repository. */
  classpath: string;
  java: string;
}

/** Thrown when this machine cannot run Apache Kafka (no JDK or no Maven). */
export class KafkaUnavailableError extends Error {}

function pinnedVersion(): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(KAFKA_POM, 'utf8'));
  if (!match) throw new Error(`${KAFKA_POM} has no <kafka.version>`);
  return match[1];
}

function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'herald', 'kafka');
}

function found(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** Whether a JDK and Maven are on PATH; `npm run dev` falls back to the mock cluster without them. */
export function kafkaToolsAvailable(): boolean {
  return found('java', ['-version']) && found('mvn', ['-v']);
}

let resolved: KafkaDistribution | undefined;

/**
 * Apache Kafka from Maven Central, resolved through KAFKA_POM. The first use downloads the jars into
 * the local Maven repository (~/.m2); the classpath is then cached per version and pom, and re-resolved
 * only when a jar it names has gone.
 */
export function kafkaDistribution(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): KafkaDistribution {
  const version = process.env.HERALD_KAFKA_VERSION ?? pinnedVersion();
  if (resolved?.version === version) return resolved;
  if (!found('java', ['-version'])) {
    throw new KafkaUnavailableError('Apache Kafka needs a JDK 17 or newer on PATH (java not found)');
  }
  const pomHash = createHash('sha256').update(readFileSync(KAFKA_POM)).digest('hex').slice(0, 12);
  const cached = join(cacheDir(), `kafka-${version}-${pomHash}.classpath`);
  if (!existsSync(cached) || !classpathIntact(readFileSync(cached, 'utf8'))) {
    if (!found('mvn', ['-v'])) {
      throw new KafkaUnavailableError('Apache Kafka is resolved through Maven, and mvn is not on PATH');
    }
    log(`herald: resolving Apache Kafka ${version} through Maven (the first run downloads about 100 MB)`);
    mkdirSync(cacheDir(), { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    try {
      execFileSync(
        'mvn',
        [
          '-B',
          '-q',
          '-f',
          KAFKA_POM,
          `-Dkafka.version=${version}`,
          'dependency:build-classpath',
          `-Dmdep.outputFile=${partial}`,
          '-Dmdep.includeScope=runtime',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 },
      );
    } catch (error) {
      const output = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
      throw new Error(`resolving Apache Kafka ${version} through Maven failed:\n${output.slice(-3000)}`);
    }
    // Renamed into place so a concurrent run never reads half a file.
    renameSync(partial, cached);
  }
  resolved = { version, classpath: readFileSync(cached, 'utf8').trim(), java: 'java' };
  return resolved;
}

function classpathIntact(classpath: string): boolean {
  const jars = classpath.trim().split(':').filter(Boolean);
  return jars.length > 0 && jars.every((jar) => existsSync(jar));
}
