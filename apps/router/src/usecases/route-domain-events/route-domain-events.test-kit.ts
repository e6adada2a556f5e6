import { EventValidator } from '@herald/contracts';
import type { OutgoingRecord } from '@herald/kafka';
import type { SubscriptionIndex } from '@herald/matching';
import { DedupeWindow } from '../../dedupe/dedupe-window';
import { MarkerTrail } from '../../dedupe/marker-trail';
import { RouteDomainEventsUseCase } from './route-domain-events.usecase';

/** Router limits for specs: roomy enough that no spec splits a send unless it sets its own. */
export const specLimits = {
  HERALD_MAX_EVENT_BYTES: 4_096,
  HERALD_ROUTER_MAX_RECORDS_PER_SEND: 100,
  HERALD_ROUTER_MAX_BYTES_PER_SEND: 1_000_000,
  HERALD_MAX_DEAD_LETTER_BYTES: 4_096,
};

/** A router for specs over an in-memory index and producer, caught up, with a fresh dedupe window. */
export function routerForSpec(options: {
  index: SubscriptionIndex;
  producer: { send(records: OutgoingRecord[]): Promise<void> };
  dedupe?: DedupeWindow;
  limits?: Partial<typeof specLimits>;
  trail?: MarkerTrail;
}): RouteDomainEventsUseCase {
  return new RouteDomainEventsUseCase(
    options.index,
    options.dedupe ?? new DedupeWindow(86_400_000, 1_000),
    new EventValidator(),
    options.producer as never,
    { ...specLimits, ...options.limits } as never,
    { catchUp: async () => true },
    options.trail ?? new MarkerTrail(),
  );
}
