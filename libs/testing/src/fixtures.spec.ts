// Loading any of these fails the import it comes from: the fixtures must not reach them.
jest.mock('koffi', () => {
  throw new Error('koffi (native) was loaded');
});
jest.mock('kafkajs', () => {
  throw new Error('kafkajs was loaded');
});
jest.mock('pg', () => {
  throw new Error('pg was loaded');
});

describe('@herald/testing/fixtures', () => {
  it('loads without native modules or I/O clients', async () => {
    const fixtures = await import('@herald/testing/fixtures');
    expect(fixtures.sampleEndpointSnapshot({ id: 'ep_1', workspaceId: 'ws_1' }).id).toBe('ep_1');
    expect(fixtures.sampleMessageReceived('ws_1').workspaceId).toBe('ws_1');
    expect(
      fixtures.sampleDeliveryRequested({
        deliveryId: 'd',
        workspaceId: 'ws_1',
        endpointId: 'e',
        eventId: 'v',
      }).kind,
    ).toBe('DeliveryRequested');
  });

  it('is needed: the full entry point does load them', async () => {
    await expect(import('@herald/testing')).rejects.toThrow(/was loaded/);
  });
});
