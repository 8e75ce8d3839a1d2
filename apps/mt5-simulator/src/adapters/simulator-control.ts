import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { Subjects } from '@mt5/contracts';
import { serveQuery } from '@mt5/infra/nats';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SimBroker } from '../broker/sim-broker.js';
import { faultRulesSchema } from '../terminal/fault-plan.js';
import type { SimTerminal } from '../terminal/sim-terminal.js';

const faultsRequest = z.strictObject({
  /** `replace` the queue, `append` to it, or just `get` it. */
  mode: z.enum(['replace', 'append', 'get']).default('replace'),
  rules: faultRulesSchema.default([]),
});
const crashRequest = z.strictObject({ restartAfterMs: z.int().nonnegative().max(600_000).default(1000) });
const quoteRequest = z.strictObject({
  symbol: z.string().min(1), bid: z.number().positive(), ask: z.number().positive(), time: z.int().nonnegative().optional(),
});

/**
 * The simulator's control surface on core NATS request/reply, for tests and demos that run it as
 * a process: `sim.ctl.faults` (queue faults), `sim.ctl.crash` (die and come back as a new EA
 * instance), `sim.ctl.disconnect` (network drop), `sim.ctl.quote` (set a quote as a jump) and
 * `sim.qry.state` (account, positions, orders, connection) and `sim.qry.history` (every deal and
 * finished order the broker booked, for tests that compare the platform's records with it).
 */
export function serveSimulatorControl(nc: NatsConnection, broker: SimBroker, terminal: SimTerminal, logger: Logger): Subscription[] {
  return [
    serveQuery(nc, {
      subject: Subjects.command('mt5-simulator', 'faults'),
      request: faultsRequest,
      handle: ({ mode, rules }) => {
        if (mode === 'replace') terminal.faults.replace(rules);
        if (mode === 'append') terminal.faults.append(rules);
        logger.info({ mode, rules }, 'fault plan changed');
        return { pending: terminal.faults.pending() };
      },
    }, logger),
    serveQuery(nc, {
      subject: Subjects.command('mt5-simulator', 'crash'),
      request: crashRequest,
      handle: ({ restartAfterMs }) => {
        terminal.crash(restartAfterMs);
        return { eaInstanceId: terminal.eaInstanceId, restartAfterMs };
      },
    }, logger),
    serveQuery(nc, {
      subject: Subjects.command('mt5-simulator', 'disconnect'),
      handle: () => {
        terminal.dropConnection();
        return {};
      },
    }, logger),
    serveQuery(nc, {
      subject: Subjects.command('mt5-simulator', 'quote'),
      request: quoteRequest,
      handle: ({ symbol, bid, ask, time }) => {
        if (!broker.symbol(symbol)) throw Object.assign(new Error(`unknown symbol ${symbol}`), { code: 'MD.UNKNOWN_SYMBOL' });
        broker.setQuote(symbol, bid, ask, time ?? Math.max(broker.serverTime, Date.now()));
        return { quote: broker.quote(symbol) };
      },
    }, logger),
    serveQuery(nc, {
      subject: Subjects.query('mt5-simulator', 'state'),
      handle: () => ({
        connected: terminal.isConnected, eaInstanceId: terminal.eaInstanceId, serverTime: broker.serverTime,
        account: broker.accountState(), positions: broker.positions(), orders: broker.orders(),
      }),
    }, logger),
    serveQuery(nc, {
      subject: Subjects.query('mt5-simulator', 'history'),
      handle: () => ({
        deals: broker.deals({ from: 0, to: Number.MAX_SAFE_INTEGER, maxCount: Number.MAX_SAFE_INTEGER }).deals,
        orders: broker.historyOrders(),
      }),
    }, logger),
  ];
}
