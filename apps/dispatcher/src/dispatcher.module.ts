import { randomUUID } from 'node:crypto';
import { type DynamicModule, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { loadConfig } from '@herald/config';
import { CircuitBreakers, FailureStreaks } from '@herald/delivery';
import { egressPolicy, type EgressPolicy } from '@herald/egress';
import { SignedAttemptPerformer, WebhookSender } from '@herald/http-delivery';
import { HeraldProducer, KafkaModule } from '@herald/kafka';
import { retryEnv } from '@herald/retry';
import { serviceEnv } from '@herald/runtime';
import { secretCipherFromEnv } from '@herald/signing';
import { ObservabilityModule } from '@herald/telemetry';
import { DeliveryConsumer } from './delivery.consumer';
import { AutoDisableOverlay } from './delivery/auto-disable.overlay';
import { EndpointHealthChangelog } from './delivery/endpoint-health.changelog';
import { EndpointSlots } from './delivery/endpoint-slots';
import { OutputBuffer } from './delivery/output-buffer';
import { PartitionProgress } from './delivery/partition-progress';
import { DISPATCHER_ENV, dispatcherEnv, type DispatcherEnv, workspaceConcurrency } from './dispatcher.env';
import { DELIVERY_OUTPUT, EGRESS_POLICY, PROCESS_WRITER_ID, RETRY_ENV } from './dispatcher.tokens';
import { EndpointDirectory } from './endpoints/endpoint-directory';
import { fifoEnv } from './fifo/fifo.env';
import { FifoGate } from './fifo/fifo-gate';
import { FifoLaneChangelog } from './fifo/fifo-lane.changelog';
import { DispatchBatchUseCase } from './usecases/dispatch-batch/dispatch-batch.usecase';
import { DeliveryIntentExecutor } from './usecases/dispatch-delivery/delivery-intents.executor';
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
            new WebhookSender({
              policy,
              connectionsPerOrigin: env.HERALD_CONNECTIONS_PER_ORIGIN,
              // Attempt logs say only that the name resolves to a non-public address; the operator sees which.
              onRefusedAddress: (host, _address, reason) =>
                new Logger('Egress').warn(`refused to connect to ${host}: ${reason}`),
            }),
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
        { provide: FailureStreaks, useFactory: () => new FailureStreaks() },
        { provide: AutoDisableOverlay, useFactory: () => new AutoDisableOverlay() },
        { provide: PROCESS_WRITER_ID, useFactory: () => randomUUID() },
        {
          provide: EndpointSlots,
          inject: [DISPATCHER_ENV],
          useFactory: (env: DispatcherEnv) =>
            new EndpointSlots(
              { global: env.HERALD_GLOBAL_CONCURRENCY, workspace: workspaceConcurrency(env) },
              {
                stallMs: env.HERALD_DISPATCH_SLOT_WAIT,
                maxWaitingPerEndpoint: env.HERALD_DISPATCH_MAX_WAITING_PER_ENDPOINT,
                maxWaiting: env.HERALD_DISPATCH_MAX_WAITING,
              },
            ),
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
          inject: [DELIVERY_OUTPUT, EndpointDirectory, PROCESS_WRITER_ID],
          useFactory: (output: OutputBuffer, directory: EndpointDirectory, writerId: string) => {
            const env = loadConfig(fifoEnv);
            const gate = new FifoGate(
              { waitMs: env.HERALD_FIFO_WAIT, lostAfterMs: env.HERALD_FIFO_LOST_AFTER, writerId },
              output,
            );
            directory.onRemoved((id) => gate.forget(id));
            directory.onUpdated((snapshot) => {
              if (!snapshot.fifo) gate.forget(snapshot.id);
            });
            return gate;
          },
        },
        {
          provide: DeliveryIntentExecutor,
          inject: [
            DELIVERY_OUTPUT,
            CircuitBreakers,
            FailureStreaks,
            AutoDisableOverlay,
            FifoGate,
            PROCESS_WRITER_ID,
          ],
          useFactory: (
            output: OutputBuffer,
            breakers: CircuitBreakers,
            streaks: FailureStreaks,
            overlay: AutoDisableOverlay,
            fifo: FifoGate,
            writerId: string,
          ) => new DeliveryIntentExecutor(output, breakers, streaks, overlay, fifo, writerId),
        },
        FifoLaneChangelog,
        EndpointHealthChangelog,
        SenderLifecycle,
        EndpointDirectory,
        DispatchDeliveryUseCase,
        DispatchBatchUseCase,
      ],
    };
  }
}
