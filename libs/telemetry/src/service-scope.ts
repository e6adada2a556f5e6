import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * Several services can share one process (all-in-one mode) and with it Nest's static logger, the
 * pino root logger and the OTel globals. The service scope tells them which service the current
 * async work belongs to: log lines name it and spans go to that service's tracer.
 */
const scope = new AsyncLocalStorage<string>();
const servicesInProcess = new Set<string>();

/** Runs `fn` (and everything it schedules) as work of `service`. */
export function runAsService<T>(service: string, fn: () => T): T {
  // Alone in its process the service is known without a scope; skipping it keeps async-context
  // tracking (a cost on every promise) off the hot path.
  if (servicesInProcess.size === 1 && servicesInProcess.has(service)) return fn();
  return scope.run(service, fn);
}

/** Records that this process hosts `service`; called by ObservabilityModule.forService. */
export function registerServiceInProcess(service: string): void {
  servicesInProcess.add(service);
}

/** The service the current work belongs to; in a single-service process, that service. */
export function currentService(): string | undefined {
  const scoped = scope.getStore();
  if (scoped !== undefined) return scoped;
  if (servicesInProcess.size === 1) return servicesInProcess.values().next().value;
  return undefined;
}
