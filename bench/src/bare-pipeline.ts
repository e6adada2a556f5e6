import { createHmac } from 'node:crypto';
import { testKafkaClient } from '@herald/testing';
import { Agent, request } from 'undici';

/**
 * The physical-limit reference: kafkajs eachBatch, one HMAC-SHA256 per message, one undici POST to
 * the loopback receiver. No matching, no records, no retries.
 */
export async function runBarePipeline(options: {
  brokers: string[];
  topic: string;
  receiverUrl: string;
}): Promise<() => Promise<void>> {
  const kafka = testKafkaClient(options.brokers, 'bench-bare');
  const consumer = kafka.consumer({ groupId: `bench-bare-${Date.now()}`, maxWaitTimeInMs: 50 });
  const agent = new Agent({ connections: 64, pipelining: 1 });
  const key = Buffer.from('bench-secret-key-bench-secret-key');
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 8,
    eachBatch: async ({ batch }) => {
      await Promise.all(
        batch.messages.map(async (message) => {
          const body = message.value!;
          const signature = createHmac('sha256', key).update(body).digest('base64');
          const res = await request(options.receiverUrl, {
            method: 'POST',
            dispatcher: agent,
            body,
            headers: { 'content-type': 'application/json', 'webhook-signature': `v1,${signature}` },
          });
          await res.body.dump();
        }),
      );
    },
  });
  return async () => {
    await consumer.disconnect();
    await agent.close();
  };
}
