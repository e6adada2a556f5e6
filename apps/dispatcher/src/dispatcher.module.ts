import { randomUUID } from 'node:crypto';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { loadConfig } from '@herald/config';
import { CircuitBreakers, FailureTracker } from '@herald/delivery';
import { egressPolicy, type EgressPolicy } from '@herald/egress';
import { SignedAttemptPerformer, WebhookSender } from '@herald/http-delivery';
import { HeraldProducer, KafkaModule } from '@herald/kafka';
import { retryEnv, type RetryEnv } from '@herald/retry';
import { serviceEnv } from '@herald/runtime';
import { secretCipherFromEnv } from '@herald/signing';
import { ObservabilityModule } from '@herald/telemetry';
import { DeliveryConsumer } from './delivery.consumer';
import { EndpointSlots } from './delivery/endpoint-slots';
import { OutputBuffer } from './delivery/output-buffer';
import { PartitionProgress } from './delivery/partition-progress';
import { DISPATCHER_ENV, dispatcherEnv, type DispatcherEnv } from './dispatcher.env';
import { DELIVERY_OUTPUT, EGRESS_POLICY, RETRY_ENV } from './dispatcher.tokens';
import { EndpointDirectory } from './endpoints/endpoint-directory';
import { fifoEnv } from './fifo/fifo.env';
import { FifoGate } from './fifo/fifo-gate';
import { FifoLaneChangelog } from './fifo/fifo-lane.changelog';
import { DispatchBatchUseCase } from './usecases/dispatch-batch/dispatch-batch.usecase';
import { DispatchDeliveryUseCase } from './usecases/dispatch-delivery/dispatch-delivery.usecase';

class SenderLifecycle implements OnApplicationShutdown {
  constructor(@Inject(WebhookSender) private readonly sender: WebhookSender) {}
  async onApplicationShutdown(): Promise<void> {
    await this.sender.close();
  }
}

@Module({})
export class DispatcherModule {
  static register(options: { httpEndpoints: boolean }): DynamicModule {
    return {
      module: DispatcherModule,
      imports: [
        ObservabilityModule.forService({ service: 'dispatcher', httpEndpoints: options.httpEndpoints }),
        KafkaModule.forService('dispatcher'),
      ],
      controllers: [DeliveryConsumer],
      providers: [
        { provide: DISPATCHER_ENV, useFactory: () => loadConfig(dispatcherEnv) },
        { provide: RETRY_ENV, useFactory: () => loadConfig(retryEnv) },
        {
          provide: EGRESS_POLICY,
          inject: [DISPATCHER_ENV],
          useFactory: (env: DispatcherEnv) =>
            egressPolicy(loadConfig(serviceEnv).HERALD_MODE, env.HERALD_EGRESS_ALLOW_CIDRS),
        },
        {
          provide: WebhookSender,
          inject: [DISPATCHER_ENV, EGRESS_POLICY],
          useFactory: (env: DispatcherEnv, policy: EgressPolicy) =>
            new WebhookSender({ policy, connectionsPerOrigin: env.HERALD_CONNECTIONS_PER_ORIGIN }),
        },
        {
          provide: SignedAttemptPerformer,
          inject: [WebhookSender],
          useFactory: (sender: WebhookSender) => new SignedAttemptPerformer(sender, secretCipherFromEnv()),
        },
        {
          provide: CircuitBreakers,
          inject: [DISPATCHER_ENV],
          useFactory: (env: DispatcherEnv) =>
            new CircuitBreakers({
              failureRate: env.HERALD_BREAKER_FAILURE_RATE,
              minimumAttempts: env.HERALD_BREAKER_MIN_ATTEMPTS,
              windowMs: env.HERALD_BREAKER_WINDOW,
              openMs: env.HERALD_BREAKER_OPEN_FOR,
            }),
        },
        {
          provide: FailureTracker,
          inject: [DISPATCHER_ENV],
          useFactory: (env: DispatcherEnv) => new FailureTracker(env.HERALD_AUTO_DISABLE_AFTER),
        },
        {
          provide: EndpointSlots,
          inject: [DISPATCHER_ENV],
          useFactory: (env: DispatcherEnv) => new EndpointSlots(env.HERALD_GLOBAL_CONCURRENCY),
        },
        {
          provide: DELIVERY_OUTPUT,
          inject: [HeraldProducer, DISPATCHER_ENV],
          useFactory: (producer: HeraldProducer, env: DispatcherEnv) =>
            new OutputBuffer(producer, env.HERALD_DISPATCH_OUTPUT_LINGER),
        },
        { provide: PartitionProgress, useFactory: () => new PartitionProgress() },
        {
          provide: FifoGate,
          inject: [RETRY_ENV, DELIVERY_OUTPUT, EndpointDirectory],
          useFactory: (retry: RetryEnv, output: OutputBuffer, directory: EndpointDirectory) => {
            const env = loadConfig(fifoEnv);
            const gate = new FifoGate(
              {
                waitMs: env.HERALD_FIFO_WAIT,
                lostAfterMs: env.HERALD_FIFO_LOST_AFTER,
                tiersMs: retry.HERALD_RETRY_TIERS,
                writerId: randomUUID(),
              },
              output,
            );
            directory.onRemoved((id) => gate.forget(id));
            directory.onUpdated((snapshot) => {
              if (!snapshot.fifo) gate.forget(snapshot.id);
            });
            return gate;
          },
        },
        FifoLaneChangelog,
        SenderLifecycle,
        EndpointDirectory,
        DispatchDeliveryUseCase,
        DispatchBatchUseCase,
      ],
    };
  }
}
