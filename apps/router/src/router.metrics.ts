import { Counter, register } from 'prom-client';

/*
 * Router series. All-in-one mode shares one registry between services, so each is looked up before
 * it is created (the telemetry lib defines herald_invalid_events_total with the same labels).
 */
function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return (
    (register.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter<L>({ name, help, labelNames })
  );
}

export const routerMetrics = {
  get invalidEvents() {
    return counter('herald_invalid_events_total', 'Domain events rejected as invalid, by reason.', [
      'reason',
    ]);
  },
  get routedEvents() {
    return counter(
      'herald_router_events_total',
      'Valid domain events by outcome (routed, unmatched, duplicate).',
      ['outcome'],
    );
  },
  get deliveriesRequested() {
    return counter('herald_deliveries_requested_total', 'DeliveryRequested records produced by fan-out.', []);
  },
};
