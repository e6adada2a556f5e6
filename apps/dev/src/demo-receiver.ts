import { Webhook } from 'standardwebhooks';
import { WebhookReceiver, type ReceivedRequest } from '@herald/testing';

export interface DemoRoute {
  path: string;
  label: string;
  /** Standard Webhooks secret to verify with; compatibility profiles are shown without a check. */
  secret?: string;
  /** Share of requests answered 503, to show retries. */
  failureRate?: number;
}

const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** A local receiver that prints each delivery as it lands, verifying Standard Webhooks signatures. */
export async function startDemoReceiver(port: number, routes: () => DemoRoute[]): Promise<WebhookReceiver> {
  const receiver = await WebhookReceiver.start(port);
  receiver.respondWith((request, res) => {
    const route = routes().find((r) => request.path.startsWith(r.path));
    const fail = route?.failureRate !== undefined && Math.random() < route.failureRate;
    res.writeHead(fail ? 503 : 200, { 'content-type': 'text/plain' }).end(fail ? 'try later' : 'ok');
    print(request, route, fail);
  });
  return receiver;
}

function print(request: ReceivedRequest, route: DemoRoute | undefined, failed: boolean): void {
  const body = request.body.toString('utf8');
  let type = '?';
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    type = String(parsed.type ?? parsed.event ?? parsed.name ?? '?');
  } catch {
    type = 'unparsable body';
  }
  const attempt = request.headers['webhook-attempt'] ?? '1';
  const verdict = verify(request, route);
  const status = failed ? `${YELLOW}503 (will be retried)${RESET}` : `${GREEN}200${RESET}`;
  process.stdout.write(
    `${DIM}${new Date().toISOString().slice(11, 23)}${RESET} ${route?.label ?? request.path} ← ${type} ` +
      `${DIM}attempt ${String(attempt)}${RESET} ${verdict} → ${status}\n`,
  );
}

function verify(request: ReceivedRequest, route: DemoRoute | undefined): string {
  if (!route?.secret) return `${DIM}(compat signature)${RESET}`;
  try {
    new Webhook(route.secret).verify(request.body.toString('utf8'), {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    });
    return `${GREEN}signature ok${RESET}`;
  } catch {
    return `${RED}signature INVALID${RESET}`;
  }
}
