import { deliveryIdFor } from './delivery-id';

describe('deliveryIdFor', () => {
  it('is deterministic and distinct per (endpoint, event, workspace)', () => {
    const id = deliveryIdFor('ep', 'evt', 'ws');
    expect(id).toBe(deliveryIdFor('ep', 'evt', 'ws'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(
      new Set([
        id,
        deliveryIdFor('ep2', 'evt', 'ws'),
        deliveryIdFor('ep', 'evt2', 'ws'),
        deliveryIdFor('ep', 'evt', 'ws2'),
      ]).size,
    ).toBe(4);
  });
});
