import { readdirSync, readFileSync } from 'node:fs';
import type { TestEnvironment } from '@herald/testing';

/** Peak resident set (VmHWM) of a process, in MB. */
export function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

/** User + system CPU in ms from a /proc/<pid>/stat line; assumes the usual 100 ticks/s. */
export function statCpuMs(stat: string): number {
  // The command name may hold spaces and parentheses; the fields start after its last ') '.
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time (user + system, every thread) a process has used so far, in ms. */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  return statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** CPU time of every live process with this command name (Postgres runs as one process per connection). */
export function cpuMsOfCommand(command: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== command) continue;
      total += statCpuMs(stat);
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/**
 * CPU time of a process and its children (a Postgres server: the postmaster and its backends), so
 * other servers of the same name on the host are not counted.
 */
export function cpuMsOfTree(rootPid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[1]);
      if (Number(entry) === rootPid || parent === rootPid) total += statCpuMs(stat);
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** What a broker CPU row says when the broker is not a process of this host (KAFKA_BROKERS). */
export const EXTERNAL_BROKER_CPU = 'not measured: KAFKA_BROKERS broker, no local JVM';

/** CPU a set of processes spends from now on, per delivery. */
export class CpuMeter {
  private readonly before: number;

  constructor(private readonly read: () => number) {
    this.before = read();
  }

  static ofPids(pids: number[]): CpuMeter {
    return new CpuMeter(() => pids.reduce((sum, pid) => sum + cpuMs(pid), 0));
  }

  perDelivery(deliveries: number): number {
    return Number(((this.read() - this.before) / deliveries).toFixed(3));
  }
}

/** The Kafka JVMs the harness started; none when KAFKA_BROKERS points elsewhere. */
export function brokerPids(env: TestEnvironment): number[] | undefined {
  if (!env.cluster) return undefined;
  return env.cluster.nodes.map((node) => {
    if (!node.pid) throw new Error(`Kafka node ${node.id} is not running`);
    return node.pid;
  });
}

/** The broker's CPU per delivery from now on, or why there is no figure. */
export function brokerCpuMeter(env: TestEnvironment): { perDelivery(deliveries: number): number | string } {
  const pids = brokerPids(env);
  if (!pids) return { perDelivery: () => EXTERNAL_BROKER_CPU };
  return CpuMeter.ofPids(pids);
}
