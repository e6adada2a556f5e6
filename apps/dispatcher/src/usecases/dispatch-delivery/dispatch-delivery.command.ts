import type { IHeaders } from 'kafkajs';

/** One record of `herald.deliveries`, as the Kafka handler hands it over. */
export interface DispatchDeliveryCommand {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  /** Called once the delivery no longer waits in memory (it holds a slot, or was deferred or dropped). */
  onDispatched?: () => void;
}
