import { ReadinessRegistry } from './readiness.registry';

describe('ReadinessRegistry', () => {
  it('reports every service in the process, named by service when several share it', () => {
    const api = new ReadinessRegistry('api');
    const router = new ReadinessRegistry('router');
    api.register('postgres', async () => undefined);
    expect(api.entries().map(([name]) => name)).toEqual(['postgres']);
    router.register('kafka', async () => undefined);
    expect(router.entries().map(([name]) => name)).toEqual(['api.postgres', 'router.kafka']);
    router.onModuleDestroy();
    expect(api.entries().map(([name]) => name)).toEqual(['postgres']);
    api.onModuleDestroy();
  });
});
