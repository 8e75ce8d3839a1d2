import type { ProvisionOptions } from '@mt5/infra/nats';
import type { OpsGatewayConfig } from './config.js';

/** Options of one gateway instance: its config and, in tests, the NATS namespace it lives in. */
export interface GatewayOptions {
  readonly config: OpsGatewayConfig;
  /** Test isolation: subjects (`t1.risk.ctl.…`) and stream names carry this prefix. Production passes none. */
  readonly provision?: ProvisionOptions;
  /** Wall clock (ms); tests may own it. */
  readonly now?: () => number;
}

export const GATEWAY_OPTIONS = Symbol('GATEWAY_OPTIONS');
