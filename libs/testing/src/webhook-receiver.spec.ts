import { WebhookReceiver } from './webhook-receiver';

describe('WebhookReceiver', () => {
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(() => receiver.stop());

  const post = (key: string) =>
    fetch(receiver.url(`/k/${key}`), { method: 'POST', body: key }).then((res) => res.text());
  const keyOf = (r: { path: string }) => r.path.split('/')[2];

  it('waitForEach counts a repeated key once, and waits for every key', async () => {
    const waiting = receiver.waitForEach(['a', 'b'], keyOf, 5_000);
    let settled = false;
    void waiting.then(() => (settled = true));
    await post('a');
    await post('a');
    await post('other');
    expect(settled).toBe(false);
    await post('b');
    const got = await waiting;
    expect(got.map(keyOf).sort()).toEqual(['a', 'a', 'b']);
  });

  it('waitForEach resolves at once for keys already received', async () => {
    await post('x');
    await expect(receiver.waitForEach(['x'], keyOf, 1_000)).resolves.toHaveLength(1);
  });

  it('waitForEach names the missing keys when it times out', async () => {
    await post('x');
    await expect(receiver.waitForEach(['x', 'y'], keyOf, 50)).rejects.toThrow('1 never arrived: y');
  });

  it('waitFor still counts every matching request', async () => {
    const waiting = receiver.waitFor(2, (r) => keyOf(r) === 'a', 5_000);
    await post('a');
    await post('a');
    await expect(waiting).resolves.toHaveLength(2);
  });
});
