import type { DeliveryRequested } from '@herald/contracts';
import { chunkBySize } from '@herald/jobs';
import type { DeliveryRequestProducer } from '../usecases/retry-delivery/delivery-request.producer';

/** Well under the broker's default 1 MiB per produce batch, leaving room for keys and headers. */
const MAX_SEND_BYTES = 512 * 1024;

/** Sends a job's requests in produce requests the broker accepts, one after the other. */
export async function sendInChunks(producer: DeliveryRequestProducer, requests: DeliveryRequested[]) {
  const chunks = chunkBySize(requests, (r) => Buffer.byteLength(r.payload) + 512, MAX_SEND_BYTES);
  for (const chunk of chunks) await producer.send(chunk);
}
