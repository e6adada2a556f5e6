import { Inject, Injectable } from '@nestjs/common';
import type { CreatedEndpointView } from '../../dto/endpoint.dto';
import {
  CreateEndpointUseCase,
  type CreateEndpointCommand,
} from '../create-endpoint/create-endpoint.usecase';
import { RevealSecretUseCase } from '../reveal-secret/reveal-secret.usecase';
import { registrationEventTypes } from './registration-events.policy';

export interface RegisterEndpointCommand extends Omit<CreateEndpointCommand, 'eventTypes'> {
  /** Catalogue types, or GudDesk's `{ onMessageCreated: true, … }` flags. */
  events: unknown;
}

/**
 * Agent auto-registration (GudDesk): an agent registers its URL on every start and must get the
 * signing secret back each time. It reuses create-endpoint's re-registration path, so the same URL
 * yields the same endpoint with its event types updated, and concurrent registrations of one URL meet
 * at the (workspace, url) unique index. When the endpoint already existed its current secret is
 * revealed, which the caller's role must allow (checked by the transport).
 */
@Injectable()
export class RegisterEndpointUseCase {
  constructor(
    @Inject(CreateEndpointUseCase) private readonly create: CreateEndpointUseCase,
    @Inject(RevealSecretUseCase) private readonly reveal: RevealSecretUseCase,
  ) {}

  async execute(
    command: RegisterEndpointCommand,
  ): Promise<{ created: boolean; endpoint: CreatedEndpointView }> {
    const { events, ...fields } = command;
    const result = await this.create.execute({ ...fields, eventTypes: registrationEventTypes(events) });
    if (result.created)
      return {
        created: true,
        endpoint: { ...result.endpoint, secret: result.secret, publicKey: result.publicKey },
      };
    const current = await this.reveal.execute({
      workspaceId: command.workspaceId,
      endpointId: result.endpoint.id,
    });
    return {
      created: false,
      endpoint: { ...result.endpoint, secret: current.secret, publicKey: current.publicKey },
    };
  }
}
