import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EVENT_CATALOGUE, EventValidator } from '@herald/contracts';
import { loadConfig } from '@herald/config';
import { CliContext } from '../cli-context';
import { required } from '../config/config-store';
import { acceptedEvent, buildDomainEvent, topicForDraft } from '../events/event-draft';
import { parseJsonFlag } from './endpoint-body';
import { CliError, ExitCode, describeFailure, isUnreachable } from '../output/exit-codes';

interface SendFlags {
  data: string;
  id?: string;
  schemaVersion?: string;
  occurredAt?: string;
  topic?: string;
}

/** `--data` as JSON text, `@path` for a file, or `-` for standard input. */
function readData(text: string): unknown {
  if (text === '-') return parseJsonFlag('--data', readFileSync(0, 'utf8'));
  if (text.startsWith('@')) {
    let content: string;
    try {
      content = readFileSync(text.slice(1), 'utf8');
    } catch (error) {
      throw new CliError(`--data ${text}: ${(error as Error).message}`, ExitCode.Usage);
    }
    return parseJsonFlag('--data', content);
  }
  return parseJsonFlag('--data', text);
}

export function registerEvents(program: Command): void {
  const events = program.command('events').description('the event catalogue, and producing test events');

  events
    .command('types')
    .description('every catalogued event type and version')
    .action((_options: unknown, command: Command) => {
      const context = CliContext.of(command);
      const rows = EVENT_CATALOGUE.map((entry) => ({
        type: entry.type,
        version: entry.version,
        description: entry.description,
        schema: entry.dataSchema,
      }));
      context.table(
        { data: rows },
        [
          { header: 'type', value: (r: (typeof rows)[number]) => r.type },
          { header: 'version', value: (r) => r.version },
          { header: 'description', value: (r) => r.description },
        ],
        rows,
      );
    });

  events
    .command('send <type>')
    .description('check an event against the catalogue and produce it to its domain topic')
    .requiredOption('--data <json>', "the event's data: JSON, @file or - for stdin")
    .option('--id <id>', 'event id (default: a new UUID)')
    .option('--schema-version <n>', 'catalogue version the data follows (default 1)')
    .option('--occurred-at <time>', 'ISO-8601 (default: now)')
    .option('--topic <topic>', "produce here instead of the type's domain topic")
    .action(async (type: string, flags: SendFlags, command: Command) => {
      const context = CliContext.of(command);
      const schemaVersion = flags.schemaVersion === undefined ? undefined : Number(flags.schemaVersion);
      if (schemaVersion !== undefined && !Number.isInteger(schemaVersion)) {
        throw new CliError('--schema-version must be an integer', ExitCode.Usage);
      }
      const draft = {
        type,
        data: readData(flags.data),
        workspaceId: context.workspace(),
        id: flags.id,
        schemaVersion,
        occurredAt: flags.occurredAt,
        topic: flags.topic,
      };
      // Checked exactly as the router will check it; a refused event is never produced.
      const event = acceptedEvent(new EventValidator().validate(buildDomainEvent(draft, new Date())));
      const topic = topicForDraft(draft);
      const brokers = required(
        context.settings,
        'kafkaBrokers',
        'Kafka brokers: pass --brokers, set KAFKA_BROKERS or run npm run dev',
      );
      const { HeraldProducer, createKafkaClient, kafkaEnv } = await import('@herald/kafka');
      const env = loadConfig(kafkaEnv, { ...process.env, KAFKA_BROKERS: brokers.join(',') });
      const kafka = createKafkaClient(env, 'cli', { retries: 2 });
      const producer = new HeraldProducer(kafka, { retries: 2 });
      try {
        await producer.send([{ topic, key: event.id, value: JSON.stringify(event) }]);
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        const reason = describeFailure(error).message;
        throw new CliError(`cannot reach Kafka at ${brokers.join(',')}: ${reason}`, ExitCode.Unreachable);
      } finally {
        await producer.disconnect().catch(() => undefined);
      }
      context.print({ topic, event }, () => `produced ${event.type} ${event.id} to ${topic}`);
    });
}
