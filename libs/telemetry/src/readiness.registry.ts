import { Injectable, type OnModuleDestroy } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void>;

// Process-wide, so when several services share a process the one serving HTTP reports them all.
const checks = new Map<string, { service: string; name: string; check: ReadinessCheck }>();

/** Adapters register what readiness depends on (Kafka, Postgres); /health/ready runs them all. */
@Injectable()
export class ReadinessRegistry implements OnModuleDestroy {
  constructor(private readonly service = 'default') {}

  register(name: string, check: ReadinessCheck): void {
    checks.set(`${this.service}\u0000${name}`, { service: this.service, name, check });
  }

  /** Every check in the process; names carry the service when more than one service registered. */
  entries(): [string, ReadinessCheck][] {
    const all = [...checks.values()];
    const several = new Set(all.map((entry) => entry.service)).size > 1;
    return all.map((entry) => [several ? `${entry.service}.${entry.name}` : entry.name, entry.check]);
  }

  onModuleDestroy(): void {
    for (const [key, entry] of checks) if (entry.service === this.service) checks.delete(key);
  }
}
