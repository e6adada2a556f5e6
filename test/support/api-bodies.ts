/** The body of every API error answer (apps/api's domain-error filter). */
export interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

/** The fields of an endpoint as the API answers it that the e2e suites assert on. */
export interface EndpointBody {
  id: string;
  version: number;
  disabled: boolean;
  disabledReason: string | null;
  eventTypes: string[];
  description: string | null;
}

/** A replay job as the API answers it (apps/api's jobs routes). */
export interface JobBody {
  id: string;
  state: string;
  total: number | null;
  processed: number;
  produced: number;
  percent: number | null;
  cancelRequested: boolean;
  error: string | null;
  result: { recordsRead: number; lostToRetention: number; partitions: number } | null;
  createdAt: string;
  finishedAt: string | null;
}
