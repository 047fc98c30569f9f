// A refusal that is not a business outcome: the call itself was wrong (4xx)
// or could not be served (5xx). The answer keeps the tools' shape, so an
// agent reads `success`, `error` and `action` whatever went wrong.
export interface FailureAnswer {
  success: false;
  error: string;
  message: string;
  action?: string;
  [key: string]: unknown;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly answer: FailureAnswer,
  ) {
    super(answer.message);
  }
}

export function invalidRequest(message: string): HttpError {
  return new HttpError(400, { success: false, error: 'invalid_request', message });
}
