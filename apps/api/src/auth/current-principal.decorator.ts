import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { PRINCIPAL, type Principal } from './principal';

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<Record<string, Principal>>()[PRINCIPAL],
);
