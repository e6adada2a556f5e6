import { AssignerProtocol, type Admin } from 'kafkajs';
import { pollUntil } from '@herald/testing';
import { kafkaClientIdOf } from './herald-services';

/** Which partitions of one topic each named process owns in its consumer group. */
export type PartitionOwners = Map<string, number[]>;

/** Partition -> high watermark of a topic. */
export async function highWatermarks(admin: Admin, topic: string): Promise<Map<number, number>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
}

/** Records written to each partition between two watermark readings. */
export function recordsBetween(before: Map<number, number>, after: Map<number, number>): Map<number, number> {
  return new Map([...after].map(([partition, high]) => [partition, high - (before.get(partition) ?? 0)]));
}

/** The group's members by process (startServices gives each process its own client id). */
async function readOwners(
  admin: Admin,
  groupId: string,
  topic: string,
  processes: string[],
): Promise<{ state: string; owners: PartitionOwners }> {
  const [group] = (await admin.describeGroups([groupId])).groups;
  const owners: PartitionOwners = new Map(processes.map((name) => [name, []]));
  for (const member of group?.members ?? []) {
    const name = processes.find((n) => member.clientId.startsWith(`${kafkaClientIdOf(n)}-`));
    if (!name) continue;
    const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
    owners.get(name)!.push(...(decoded?.assignment[topic] ?? []));
  }
  for (const partitions of owners.values()) partitions.sort((a, b) => a - b);
  return { state: group?.state ?? 'Dead', owners };
}

/**
 * Waits until the group is Stable with every process a member owning at least one partition and every
 * partition of `topic` owned: a second replica joining triggers a rebalance that can end after the
 * probes already went through.
 */
export async function stableOwners(
  admin: Admin,
  groupId: string,
  topic: string,
  processes: string[],
): Promise<PartitionOwners> {
  const partitions = (await admin.fetchTopicOffsets(topic)).length;
  let last: { state: string; owners: PartitionOwners } | undefined;
  await pollUntil(
    async () => {
      last = await readOwners(admin, groupId, topic, processes);
      const owned = [...last.owners.values()];
      return (
        last.state === 'Stable' &&
        owned.every((p) => p.length > 0) &&
        owned.reduce((sum, p) => sum + p.length, 0) === partitions
      );
    },
    60_000,
    250,
    () => `${groupId} not stable over ${partitions} partitions of ${topic}: ${describeOwners(last?.owners)}`,
  );
  return last!.owners;
}

/** The current owners, for checking after a burst that no rebalance moved partitions meanwhile. */
export async function currentOwners(
  admin: Admin,
  groupId: string,
  topic: string,
  processes: string[],
): Promise<PartitionOwners> {
  return (await readOwners(admin, groupId, topic, processes)).owners;
}

export function describeOwners(owners: PartitionOwners | undefined): string {
  if (!owners) return 'none';
  return [...owners].map(([name, partitions]) => `${name}:${partitions.join('+') || '-'}`).join(' ');
}

/** Sum of one Prometheus counter over its labels, from a service's /metrics (open in development mode). */
export async function counterTotal(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
