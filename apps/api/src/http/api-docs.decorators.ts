import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

class FieldErrorView {
  @ApiProperty() field!: string;
  @ApiProperty() message!: string;
}

class ErrorDetailView {
  @ApiProperty({ example: 'VALIDATION_FAILED' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ type: [FieldErrorView] }) fields?: FieldErrorView[];
}

export class ErrorView {
  @ApiProperty({ type: ErrorDetailView }) error!: ErrorDetailView;
}

/** The answers every route may give, in the one error shape the API uses. */
export const ApiStandardErrors = () =>
  applyDecorators(
    ApiBadRequestResponse({ type: ErrorView, description: 'Invalid input, with one entry per field' }),
    ApiUnauthorizedResponse({ type: ErrorView, description: 'Missing, unknown or revoked bearer token' }),
    ApiForbiddenResponse({
      type: ErrorView,
      description: "Another workspace, or the key's role does not allow it",
    }),
    ApiNotFoundResponse({ type: ErrorView, description: "Not in the key's workspace" }),
    ApiTooManyRequestsResponse({
      type: ErrorView,
      description: 'RATE_LIMITED: the API key is over its request rate; Retry-After says when to try again',
    }),
  );

/** Mutating POSTs may be retried safely with an Idempotency-Key. */
export const ApiIdempotent = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Repeat a request safely: the first response is stored (24 h by default) and replayed; another body is refused (422)',
  });
