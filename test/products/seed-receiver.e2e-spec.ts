import { createHmac } from 'node:crypto';
import { GudDeskAgentReceiver } from './guddesk/receiver';
import { MessageDeskReceiver } from './messagedesk/receiver';
import { MessagesDevReceiver } from './messages-dev/receiver';
import { NexaDeskReceiver } from './nexadesk/receiver';
import type { SeedReceiver } from './seed-receiver';

/**
 * The harness under the four product receivers, without Herald: requests signed here as each seed
 * describes its signature must pass the seed's code, others must get the seed's rejection, so the
 * product e2e tests' "nothing rejected" means something. No Kafka, no services.
 */

const SECRET = 'a-secret-the-customer-configured-0123456789';
const BODY = JSON.stringify({ event: 'message.created', data: { id: 'msg_1', text: 'Zoë 👋' } });
const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text);

interface Product {
  name: string;
  start: (secret: string) => Promise<SeedReceiver<unknown>>;
  header: string;
  /** The header value the seed's docs describe for BODY under `secret`. */
  sign: (secret: string) => string;
  accepted: string;
  rejected: string;
}

const PRODUCTS: Product[] = [
  {
    name: 'GudDesk',
    start: async (secret) => {
      const receiver = await GudDeskAgentReceiver.start();
      receiver.useSecret(secret);
      return receiver;
    },
    header: 'X-GudDesk-Signature',
    sign: (secret) => `sha256=${hmac(secret, BODY).digest('hex')}`,
    accepted: 'OK',
    rejected: 'Unauthorized',
  },
  {
    name: 'Messages.dev',
    start: async (secret) => {
      const receiver = await MessagesDevReceiver.start();
      receiver.useSecret(secret);
      return receiver;
    },
    header: 'X-Webhook-Signature',
    sign: (secret) => hmac(secret, BODY).digest('hex'),
    accepted: 'OK',
    rejected: 'Unauthorized',
  },
  {
    name: 'MessageDesk',
    start: (secret) => MessageDeskReceiver.start(secret),
    header: 'X-MessageDesk-Signature',
    sign: (secret) => hmac(secret, BODY).digest('base64'),
    accepted: 'ok',
    rejected: 'invalid signature',
  },
  {
    name: 'NexaDesk',
    start: (secret) => NexaDeskReceiver.start(secret),
    header: 'X-NexaDesk-Signature',
    sign: (secret) => `sha256=${hmac(secret, BODY).digest('hex')}`,
    accepted: 'OK',
    rejected: 'Invalid signature',
  },
];

async function post(receiver: SeedReceiver<unknown>, headers: Record<string, string>) {
  const res = await fetch(receiver.url('/hook'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: BODY,
  });
  return [res.status, await res.text()] as const;
}

describe.each(PRODUCTS)('$name receiver on the seed harness', (product) => {
  let receiver: SeedReceiver<unknown>;

  beforeEach(async () => {
    receiver = await product.start(SECRET);
  });
  afterEach(async () => {
    await receiver.stop();
  });

  it("records what the seed's code verifies and gives the seed's rejection to anything else", async () => {
    expect(await post(receiver, { [product.header]: product.sign(SECRET) })).toEqual([200, product.accepted]);
    expect(await post(receiver, { [product.header]: product.sign('some-other-secret') })).toEqual([
      401,
      product.rejected,
    ]);
    // No header: the seeds that compare with timingSafeEqual throw, which is a rejection too.
    expect(await post(receiver, {})).toEqual([401, product.rejected]);
    expect(receiver.verified.map((r) => [r.path, r.answered])).toEqual([['/hook', 200]]);
    expect(receiver.rejected.map((r) => r.path)).toEqual(['/hook', '/hook']);
  });

  it('answers 500 to the next verified requests only while told to fail, then the seed success again', async () => {
    receiver.failNext(1);
    expect((await post(receiver, { [product.header]: product.sign('wrong') }))[0]).toBe(401);
    expect(await post(receiver, { [product.header]: product.sign(SECRET) })).toEqual([
      500,
      'failing on purpose',
    ]);
    expect((await post(receiver, { [product.header]: product.sign(SECRET) }))[0]).toBe(200);
    expect(receiver.verified.map((r) => r.answered)).toEqual([500, 200]);
  });

  it('takes a new secret at once: the old one no longer verifies', async () => {
    receiver.useSecret('the-rotated-secret-0123456789abcdef');
    expect((await post(receiver, { [product.header]: product.sign(SECRET) }))[0]).toBe(401);
    expect(
      (await post(receiver, { [product.header]: product.sign('the-rotated-secret-0123456789abcdef') }))[0],
    ).toBe(200);
  });
});

describe('seed harness waiting and set-up', () => {
  it('waitFor resolves once enough verified requests arrive, and times out naming what it got', async () => {
    const receiver = await MessageDeskReceiver.start(SECRET);
    try {
      const header = { 'X-MessageDesk-Signature': hmac(SECRET, BODY).digest('base64') };
      const waiting = receiver.waitFor(2, () => true);
      await post(receiver, header);
      await post(receiver, {});
      await post(receiver, header);
      expect(await waiting).toHaveLength(2);
      await expect(receiver.waitFor(3, () => true, 200)).rejects.toThrow(
        'timed out waiting for 3 verified requests; got 2, 1 rejected',
      );
    } finally {
      await receiver.stop();
    }
  });

  it('rejects everything while the customer has configured no secret yet', async () => {
    const receiver = await GudDeskAgentReceiver.start();
    try {
      const signedWithEmpty = `sha256=${hmac('', BODY).digest('hex')}`;
      expect((await post(receiver, { 'X-GudDesk-Signature': signedWithEmpty }))[0]).toBe(401);
      expect(receiver.rejected.map((r) => r.reason)).toEqual(['no secret configured yet']);
    } finally {
      await receiver.stop();
    }
  });
});
