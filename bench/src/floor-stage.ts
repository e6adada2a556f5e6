import { createHmac, randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { testKafkaClient } from '@herald/testing';
import { Agent, request } from 'undici';

/**
 * One stage of the floor pipeline (see floor-pipeline.ts), run as its own process:
 * - `route`: read an event, write one delivery record keyed by endpoint (what the router must do at least);
 * - `dispatch`: read a delivery, HMAC, POST, write an attempt record (what the dispatcher must do at least).
 * No validation, matching, limits, retries, metrics or tracing.
 */
async function main(): Promise<void> {
  const [stage, brokers, input, output, receiverUrl] = process.argv.slice(2);
  const kafka = testKafkaClient(brokers.split(','), `floor-${stage}`);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: `floor-${stage}-${input}`, maxWaitTimeInMs: 50 });
  const agent = new Agent({ connections: 64, pipelining: 1 });
  const key = Buffer.from('bench-secret-key-bench-secret-key');
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: input, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 8,
    eachBatch: async ({ batch }) => {
      if (stage === 'route') {
        const messages = batch.messages.map((message) => {
          const event = JSON.parse(message.value!.toString('utf8')) as { id: string; workspaceId: string };
          const delivery = {
            deliveryId: randomUUID(),
            endpointId: event.workspaceId,
            payload: message.value!.toString('utf8'),
          };
          return { key: event.workspaceId, value: JSON.stringify(delivery) };
        });
        await producer.send({ topic: output, acks: -1, messages });
        return;
      }
      const attempts = await Promise.all(
        batch.messages.map(async (message) => {
          const delivery = JSON.parse(message.value!.toString('utf8')) as {
            deliveryId: string;
            payload: string;
          };
          const started = Date.now();
          const signature = createHmac('sha256', key).update(delivery.payload).digest('base64');
          const res = await request(receiverUrl, {
            method: 'POST',
            dispatcher: agent,
            body: delivery.payload,
            headers: { 'content-type': 'application/json', 'webhook-signature': `v1,${signature}` },
          });
          const body = await res.body.text();
          const attempt = {
            deliveryId: delivery.deliveryId,
            status: res.statusCode,
            body,
            durationMs: Date.now() - started,
          };
          return { key: delivery.deliveryId, value: JSON.stringify(attempt) };
        }),
      );
      await producer.send({ topic: output, acks: -1, messages: attempts });
    },
  });
  process.send?.('ready');
  process.on('SIGTERM', () => {
    void Promise.allSettled([consumer.disconnect(), producer.disconnect(), agent.close()]).then(() =>
      process.exit(0),
    );
  });
}

void main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
