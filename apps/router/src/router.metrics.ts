import { Counter, register } from 'prom-client';
import { heraldMetrics } from '@herald/telemetry';

/*
 * Router series beyond the shared ones (invalid events live in the telemetry lib). All-in-one mode
 * shares one registry between services, so each is looked up before it is created.
 */
function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return (
    (register.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter<L>({ name, help, labelNames })
  );
}

export const routerMetrics = {
  get invalidEvents() {
    return heraldMetrics.invalidEvents;
  },
  get routedEvents() {
    return counter(
      'herald_router_events_total',
      'Valid domain events by outcome (routed, unmatched, duplicate).',
      ['outcome'],
    );
  },
  get catchUpTimeouts() {
    return counter(
      'herald_router_catch_up_timeouts_total',
      'Batches read again because the subscription index did not catch up with herald.subscriptions in time.',
      [],
    );
  },
  get markerFailures() {
    return counter(
      'herald_router_marker_failures_total',
      'Batches whose dedupe markers could not be written after retries (a restart may route them again).',
      [],
    );
  },
  get deliveriesRequested() {
    return counter('herald_deliveries_requested_total', 'DeliveryRequested records produced by fan-out.', []);
  },
};
