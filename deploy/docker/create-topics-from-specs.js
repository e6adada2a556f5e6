// @ts-check
'use strict';
/**
 * `herald create-topics` when HERALD_TOPIC_SPECS is set, as the Helm chart's topics job does.
 *
 * The application's own command gives every topic one partition count and built-in retention.
 * The chart lets operators size each topic, so it renders the full list as JSON:
 *   [{"topic": "herald.deliveries", "partitions": 24, "replicationFactor": 3,
 *     "configEntries": {"cleanup.policy": "delete", "retention.ms": "604800000"}}, ...]
 * Missing topics are created; existing ones are never altered, only reported when they have
 * fewer partitions than asked. The Kafka connection (brokers, TLS, SASL) is the application's,
 * read from the same KAFKA_* variables by the same code.
 */

/**
 * @typedef {{ topic: string, partitions: number, replicationFactor?: number, configEntries: Record<string, string> }} TopicSpec
 */

/**
 * @param {string} text
 * @returns {TopicSpec[]}
 */
function parseTopicSpecs(text) {
  /** @type {unknown} */
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`HERALD_TOPIC_SPECS is not JSON: ${/** @type {Error} */ (error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new Error('HERALD_TOPIC_SPECS must be a non-empty JSON array');
  }
  const seen = new Set();
  return parsed.map((item, index) => {
    const where = `HERALD_TOPIC_SPECS[${index}]`;
    if (typeof item !== 'object' || item === null) throw new Error(`${where} is not an object`);
    const { topic, partitions, replicationFactor, configEntries = {} } = item;
    if (typeof topic !== 'string' || !/^[A-Za-z0-9._-]{1,249}$/.test(topic)) {
      throw new Error(`${where}.topic is not a valid topic name`);
    }
    if (seen.has(topic)) throw new Error(`${where}: topic ${topic} is listed twice`);
    seen.add(topic);
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new Error(`${where}.partitions must be a positive integer`);
    }
    if (replicationFactor !== undefined && (!Number.isInteger(replicationFactor) || replicationFactor < 1)) {
      throw new Error(`${where}.replicationFactor must be a positive integer`);
    }
    if (typeof configEntries !== 'object' || configEntries === null || Array.isArray(configEntries)) {
      throw new Error(`${where}.configEntries must be an object of strings`);
    }
    for (const [name, value] of Object.entries(configEntries)) {
      if (typeof value !== 'string') throw new Error(`${where}.configEntries.${name} must be a string`);
    }
    return { topic, partitions, replicationFactor, configEntries };
  });
}

async function main() {
  const path = require('node:path');
  const appDir = process.env.HERALD_APP_DIR || path.resolve(__dirname, '..');
  const { loadConfig } = require(path.join(appDir, 'dist/libs/config/src'));
  const { kafkaEnv, createKafkaClient } = require(path.join(appDir, 'dist/libs/kafka/src'));

  let specs;
  let kafka;
  try {
    specs = parseTopicSpecs(process.env.HERALD_TOPIC_SPECS ?? '');
    kafka = createKafkaClient(loadConfig(kafkaEnv), 'create-topics');
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }

  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.partitions,
          ...(spec.replicationFactor ? { replicationFactor: spec.replicationFactor } : {}),
          configEntries: Object.entries(spec.configEntries).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    const present = specs.filter((spec) => existing.has(spec.topic));
    const warnings = [];
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((spec) => spec.topic) });
      for (const { name, partitions } of metadata.topics) {
        const wanted = present.find((spec) => spec.topic === name)?.partitions ?? 0;
        if (partitions.length < wanted) {
          warnings.push(`  ! ${name} has ${partitions.length} partitions, ${wanted} asked (not changed)\n`);
        }
      }
    }
    process.stdout.write(
      `herald: ${missing.length} topic(s) created, ${present.length} already present\n` +
        missing.map((spec) => `  + ${spec.topic} (${spec.partitions} partitions)\n`).join('') +
        warnings.join(''),
    );
  } finally {
    await admin.disconnect();
  }
}

module.exports = { parseTopicSpecs };

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(
      `herald: create-topics failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
