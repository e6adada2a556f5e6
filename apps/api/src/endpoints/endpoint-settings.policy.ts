import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, type SignatureScheme } from '@herald/contracts';
import { customHeaderProblem, REDACTED, signatureHeaderProblem } from '@herald/delivery';
import { assertSafeUrl, withAllowlist } from '@herald/egress';
import { validateEventTypePattern, validateFilter } from '@herald/matching';
import { validateRetrySchedule } from '@herald/retry';
import { signatureHeaderName } from '@herald/signing';
import { API_ENV, type ApiEnv } from '../api.env';
import { API_SETTINGS, type ApiSettings } from '../api.settings';
import { uncataloguedReason } from './subscribed-types.policy';

export interface EndpointSettingsInput {
  url?: string;
  eventTypes?: string[];
  filter?: Record<string, unknown> | null;
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxInFlight?: number;
  retrySchedule?: string[] | null;
  signatureScheme?: SignatureScheme;
  signatureHeader?: string | null;
  /** The workspace's own egress allowlist, opened beside the global one for its URLs. */
  egressAllowCidrs?: readonly string[];
}

/** Checks the fields whose bounds are configuration or domain rules; each failure names its field. */
@Injectable()
export class EndpointSettingsPolicy {
  constructor(
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  get defaults() {
    return {
      timeoutMs: this.env.HERALD_ENDPOINT_DEFAULT_TIMEOUT,
      maxInFlight: this.env.HERALD_ENDPOINT_DEFAULT_MAX_IN_FLIGHT,
    };
  }

  /** The deployment's retry tiers (HERALD_RETRY_TIERS), which a product profile's schedule must fit. */
  get retryTiersMs(): readonly number[] {
    return this.settings.retryTiersMs;
  }

  /** Returns the URL in canonical form. */
  check(input: EndpointSettingsInput): { url?: string } {
    let url: string | undefined;
    if (input.url !== undefined) {
      if (input.url.length > this.env.HERALD_ENDPOINT_MAX_URL_LENGTH) {
        throw fieldError(
          ErrorCode.LimitExceeded,
          'url',
          `url is longer than ${this.env.HERALD_ENDPOINT_MAX_URL_LENGTH} characters`,
        );
      }
      url = assertSafeUrl(input.url, withAllowlist(this.settings.egress, input.egressAllowCidrs)).toString();
    }
    if (input.eventTypes !== undefined) {
      if (input.eventTypes.length > this.env.HERALD_ENDPOINT_MAX_EVENT_TYPES) {
        throw fieldError(
          ErrorCode.LimitExceeded,
          'eventTypes',
          `at most ${this.env.HERALD_ENDPOINT_MAX_EVENT_TYPES} event types`,
        );
      }
      input.eventTypes.forEach((pattern, index) => {
        try {
          validateEventTypePattern(pattern);
        } catch (error) {
          throw withField(error, `eventTypes[${index}]`);
        }
        const unknown = uncataloguedReason(pattern);
        if (unknown) throw fieldError(ErrorCode.UnknownEventType, `eventTypes[${index}]`, unknown);
      });
    }
    if (input.filter !== undefined) {
      try {
        validateFilter(input.filter, {
          maxLength: this.env.HERALD_FILTER_MAX_REGEX_LENGTH,
          maxTotalCost: this.env.HERALD_FILTER_MAX_REGEX_COST,
        });
      } catch (error) {
        throw withField(error, 'filter');
      }
    }
    if (input.headers !== undefined)
      this.checkHeaders(input.headers, input.signatureScheme, input.signatureHeader);
    if (input.timeoutMs !== undefined && input.timeoutMs > this.env.HERALD_ENDPOINT_MAX_TIMEOUT) {
      // 422 like every other semantic refusal: the sender would cut a longer attempt short.
      throw new DomainError(
        ErrorCode.LimitExceeded,
        `timeoutMs is at most ${this.env.HERALD_ENDPOINT_MAX_TIMEOUT} (ms per attempt)`,
        {
          fields: [{ field: 'timeoutMs', message: `at most ${this.env.HERALD_ENDPOINT_MAX_TIMEOUT}` }],
          status: 422,
        },
      );
    }
    const maxInFlight = this.env.HERALD_ENDPOINT_MAX_IN_FLIGHT;
    if (input.maxInFlight !== undefined && input.maxInFlight > maxInFlight) {
      // The dispatcher would clamp it to its slots anyway: say so rather than accept a promise it breaks.
      throw new DomainError(
        ErrorCode.LimitExceeded,
        `maxInFlight is at most ${maxInFlight} (attempts in flight per dispatcher process)`,
        { fields: [{ field: 'maxInFlight', message: `at most ${maxInFlight}` }], status: 422 },
      );
    }
    if (input.retrySchedule !== undefined && input.retrySchedule !== null) {
      try {
        validateRetrySchedule(input.retrySchedule, this.settings.retryTiersMs);
      } catch (error) {
        throw withField(error, 'retrySchedule');
      }
    }
    if (input.signatureHeader !== undefined && input.signatureHeader !== null) {
      const problem = signatureHeaderProblem(input.signatureHeader);
      if (problem) throw fieldError(ErrorCode.ValidationFailed, 'signatureHeader', problem, 422);
    }
    return { url };
  }

  private checkHeaders(
    headers: Record<string, string>,
    scheme?: SignatureScheme,
    signatureHeader?: string | null,
  ): void {
    const entries = Object.entries(headers);
    if (entries.length > this.env.HERALD_ENDPOINT_MAX_HEADERS) {
      throw fieldError(
        ErrorCode.LimitExceeded,
        'headers',
        `at most ${this.env.HERALD_ENDPOINT_MAX_HEADERS} custom headers`,
      );
    }
    const signing = scheme ? signatureHeaderName(scheme, signatureHeader) : null;
    for (const [name, value] of entries) {
      // The dispatcher applies the same rule (libs/delivery reserved-headers), so nothing saved is dropped.
      const problem =
        customHeaderProblem(name, value, signing) ??
        (value === REDACTED ? `${name}: values are write-only; send the real value` : null);
      if (problem) throw fieldError(ErrorCode.ValidationFailed, `headers.${name}`, problem, 422);
    }
  }
}

function fieldError(code: ErrorCode, field: string, message: string, status?: 422): DomainError {
  return new DomainError(code, message, { fields: [{ field, message }], ...(status ? { status } : {}) });
}

function withField(error: unknown, field: string): unknown {
  if (!(error instanceof DomainError)) return error;
  return new DomainError(error.code, error.message, {
    ...error.details,
    fields: [{ field, message: error.message }],
  });
}
