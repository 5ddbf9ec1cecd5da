/**
 * Deadlines of every AWS call the check makes. The SDK sets none, so an endpoint that never
 * answers (another region's service from a VPC without a NAT) would hold the run until the
 * function's timeout; bounded, the call fails and the check reports it.
 */
export const AWS_CALL_TIMEOUTS = {
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
} as const;
