import { lookup } from 'node:dns';
import { Inject, Injectable } from '@nestjs/common';
import { Agent, request } from 'undici';
import { loadConfig } from '@herald/config';
import { addressRefusal, egressPolicy, type EgressPolicy } from '@herald/egress';
import { serviceEnv } from '@herald/runtime';
import { API_ENV, type ApiEnv } from '../../api.env';

export interface TestPostResult {
  delivered: boolean;
  status: number | null;
  latencyMs: number;
  responseBody: string | null;
  error: string | null;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One POST from the API process for the test ping. Resolved addresses are checked against the egress
 * policy at connect time (so DNS rebinding cannot reach internal hosts) and redirects are not followed.
 */
@Injectable()
export class SignedTestClient {
  private readonly policy: EgressPolicy;
  private readonly agent: Agent;

  constructor(@Inject(API_ENV) env: ApiEnv) {
    this.policy = egressPolicy(loadConfig(serviceEnv).HERALD_MODE, env.HERALD_EGRESS_ALLOW_CIDRS);
    this.agent = new Agent({
      connections: 8,
      connect: {
        lookup: (hostname, options, callback) => {
          lookup(hostname, { ...options, all: true }, (error, addresses) => {
            if (error) return callback(error, '', 0);
            const list = addresses as unknown as { address: string; family: number }[];
            const allowed = list.filter((a) => addressRefusal(a.address, this.policy) === null);
            if (allowed.length === 0) {
              const refusal = addressRefusal(list[0]?.address ?? '', this.policy) ?? 'no address';
              return callback(new Error(`refused address: ${refusal}`), '', 0);
            }
            if ((options as { all?: boolean }).all)
              return (callback as unknown as (e: null, a: typeof allowed) => void)(null, allowed);
            return callback(null, allowed[0].address, allowed[0].family);
          });
        },
      },
    });
  }

  async post(
    url: string,
    body: string,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<TestPostResult> {
    const started = performance.now();
    try {
      const res = await request(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'user-agent': 'Herald-Webhooks/1.0', ...headers },
        dispatcher: this.agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        const buffer = chunk as Buffer;
        if (size < MAX_RESPONSE_BYTES) chunks.push(buffer.subarray(0, MAX_RESPONSE_BYTES - size));
        size += buffer.length;
      }
      return {
        delivered: res.statusCode >= 200 && res.statusCode < 300,
        status: res.statusCode,
        latencyMs: Math.round(performance.now() - started),
        responseBody: Buffer.concat(chunks).toString('utf8'),
        error: null,
      };
    } catch (error) {
      const cause = (error as { cause?: Error }).cause;
      return {
        delivered: false,
        status: null,
        latencyMs: Math.round(performance.now() - started),
        responseBody: null,
        error: cause?.message ?? (error as Error).message,
      };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
