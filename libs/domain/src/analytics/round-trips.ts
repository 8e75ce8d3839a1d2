import type { Side } from '@mt5/contracts';
import { priceToPips, sideSign } from '../positions/index.js';
import type { DealFact, TradeFact } from './analytics.types.js';
import { Exact, MONEY_SCALE, PRICE_SCALE, ZERO, exact, moneyString, plain, type Exact as ExactValue } from './money.js';
import { exitReasonOf, strategyKeyOf, type QuoteDigits } from './trade-attribution.js';

/** What the replay needs besides the deals of one position. */
export interface RoundTripContext {
  readonly account: string;
  /** Stop loss the position was opened with (first seen); R multiples need it. */
  readonly initialStopLoss: string | null;
  readonly magicToStrategy: ReadonlyMap<number, string>;
  /** Quote digits of the symbol, null when unknown (pips are then null). */
  readonly quote: QuoteDigits | null;
}

/** The position after every deal was applied. */
export interface PositionState {
  readonly side: Side | null;
  /** Lots still open (0 when flat). */
  readonly volume: string;
  /** Volume-weighted entry price of the open lots; null when flat. */
  readonly openPrice: string | null;
  readonly openTime: number | null;
  /** Time of the deal that left the position flat, when it is flat after at least one close. */
  readonly closeTime: number | null;
  readonly strategyId: string | null;
  readonly magic: number;
  readonly comment: string;
  readonly external: boolean;
}

export interface RoundTripResult {
  readonly trades: readonly TradeFact[];
  readonly position: PositionState;
  /** Closing volume that found nothing open (a close seen before its open, or an over-close). */
  readonly unmatched: readonly { readonly dealTicket: string; readonly volume: string }[];
}

/** Orders deals by time, then by ticket as an unsigned integer (MT5 tickets grow). */
export function compareDeals(a: Pick<DealFact, 'time' | 'dealTicket'>, b: Pick<DealFact, 'time' | 'dealTicket'>): number {
  if (a.time !== b.time) return a.time - b.time;
  if (a.dealTicket.length !== b.dealTicket.length) return a.dealTicket.length - b.dealTicket.length;
  return a.dealTicket < b.dealTicket ? -1 : a.dealTicket > b.dealTicket ? 1 : 0;
}

interface Leg {
  side: Side;
  volume: ExactValue;
  openPrice: ExactValue;
  openTime: number;
  /** Entry commission, swap and fee not yet charged to a trade. */
  commission: ExactValue;
  swap: ExactValue;
  fee: ExactValue;
  magic: number;
  comment: string;
  external: boolean;
  /** Only the position's first leg was opened with the initial stop. */
  first: boolean;
}

/** `part / whole` of `amount`, rounded to the money scale. */
function share(amount: ExactValue, part: ExactValue, whole: ExactValue): ExactValue {
  return whole.isZero() ? ZERO : amount.times(part).div(whole).toDecimalPlaces(MONEY_SCALE);
}

/**
 * Replays the deals of ONE position (any order; they are sorted here) into round trips.
 *
 * Deals act by side, like a netting book for that position id: a deal on the position's side
 * adds (volume-weighted entry price), one on the other side closes lots, and any excess reverses
 * the position (MT5 `INOUT`). Each closing deal is one trade, so a partial close is a trade.
 * Money comes from the deals, as the broker booked it: the trade's gross profit is the closing
 * deal's profit; its commission, swap and fee are the closing deal's (its share, for a
 * reversal) plus the pro-rata share of the entry deals' still-uncharged costs. Shares are
 * rounded to 8 places and the last close takes the remainder, so the trades of a closed
 * position sum exactly to its deals.
 *
 * The R multiple is net profit over the initial risk, `|entry − initialStop|` priced with the
 * money per price unit this close was booked at (gross profit over the favourable move); when
 * the trade closed at its entry price that rate is unknown and R is 0 (gross R, costs left out).
 *
 * The replay is deterministic and a close depends only on deals before it, so replaying after
 * each new deal reproduces the earlier trades unchanged (an out-of-order close is matched once
 * its open arrives).
 */
export function buildRoundTrips(deals: readonly DealFact[], context: RoundTripContext): RoundTripResult {
  const sorted = [...deals].sort(compareDeals);
  const trades: TradeFact[] = [];
  const unmatched: { dealTicket: string; volume: string }[] = [];
  let leg: Leg | null = null;
  let legs = 0;
  let closeTime: number | null = null;
  let last: Leg | null = null;

  for (const deal of sorted) {
    const volume = exact(deal.volume);
    if (!volume.greaterThan(0)) throw new RangeError(`buildRoundTrips: deal ${deal.dealTicket} has volume ${deal.volume}`);
    if (leg && leg.side === deal.side) {
      leg.openPrice = leg.openPrice.times(leg.volume).plus(exact(deal.price).times(volume)).div(leg.volume.plus(volume)).toDecimalPlaces(PRICE_SCALE);
      leg.volume = leg.volume.plus(volume);
      leg.commission = leg.commission.plus(deal.commission);
      leg.swap = leg.swap.plus(deal.swap);
      leg.fee = leg.fee.plus(deal.fee);
      continue;
    }
    let opening = volume;
    let costs = { commission: exact(deal.commission), swap: exact(deal.swap), fee: exact(deal.fee) };
    if (leg) {
      const closed = Exact.min(leg.volume, volume);
      const closeCosts = { commission: share(costs.commission, closed, volume), swap: share(costs.swap, closed, volume), fee: share(costs.fee, closed, volume) };
      trades.push(closeTrade(leg, deal, closed, closeCosts, context));
      costs = { commission: costs.commission.minus(closeCosts.commission), swap: costs.swap.minus(closeCosts.swap), fee: costs.fee.minus(closeCosts.fee) };
      leg.volume = leg.volume.minus(closed);
      opening = volume.minus(closed);
      if (leg.volume.isZero()) {
        last = leg;
        leg = null;
        closeTime = deal.time;
      }
    } else if (deal.entry !== 'IN') {
      // A close with nothing open: its open has not arrived yet. Keep it out of the book.
      unmatched.push({ dealTicket: deal.dealTicket, volume: deal.volume });
      continue;
    }
    if (opening.greaterThan(0)) {
      leg = {
        side: deal.side, volume: opening, openPrice: exact(deal.price), openTime: deal.time, ...costs,
        magic: deal.magic, comment: deal.comment, external: deal.clientOrderId === null, first: legs === 0,
      };
      legs++;
      closeTime = null;
    }
  }

  const current = leg ?? last;
  return {
    trades,
    unmatched,
    position: {
      side: current?.side ?? null,
      volume: leg ? plain(leg.volume) : '0',
      openPrice: leg ? plain(leg.openPrice) : null,
      openTime: current?.openTime ?? null,
      closeTime: leg ? null : closeTime,
      strategyId: current ? strategyKeyOf(current.magic, context.magicToStrategy) : null,
      magic: current?.magic ?? 0,
      comment: current?.comment ?? '',
      external: current?.external ?? false,
    },
  };
}

function closeTrade(
  leg: Leg, deal: DealFact, volume: ExactValue, closeCosts: { commission: ExactValue; swap: ExactValue; fee: ExactValue }, context: RoundTripContext,
): TradeFact {
  const commission = share(leg.commission, volume, leg.volume).plus(closeCosts.commission);
  const swap = share(leg.swap, volume, leg.volume).plus(closeCosts.swap);
  const fee = share(leg.fee, volume, leg.volume).plus(closeCosts.fee);
  leg.commission = leg.commission.minus(share(leg.commission, volume, leg.volume));
  leg.swap = leg.swap.minus(share(leg.swap, volume, leg.volume));
  leg.fee = leg.fee.minus(share(leg.fee, volume, leg.volume));
  // A reversal's profit belongs to the closed lots: the new lots open at the deal price.
  const gross = exact(deal.profit);
  const net = gross.plus(commission).plus(swap).plus(fee);
  const move = exact(deal.price).minus(leg.openPrice).times(sideSign(leg.side));
  return {
    account: context.account,
    positionId: deal.positionId,
    closeDealTicket: deal.dealTicket,
    strategyId: strategyKeyOf(leg.magic, context.magicToStrategy),
    symbol: deal.symbol,
    side: leg.side,
    volume: plain(volume),
    entryTime: leg.openTime,
    entryPrice: plain(leg.openPrice),
    exitTime: deal.time,
    exitPrice: plain(exact(deal.price)),
    grossProfit: moneyString(gross),
    commission: moneyString(commission),
    swap: moneyString(swap),
    fee: moneyString(fee),
    netProfit: moneyString(net),
    pips: context.quote === null ? null : priceToPips(context.quote, move.toNumber()),
    rMultiple: rMultiple(leg, gross, net, move, context.initialStopLoss),
    durationSeconds: Math.max(0, Math.floor((deal.time - leg.openTime) / 1000)),
    exitReason: exitReasonOf(deal.reason),
    external: leg.external,
  };
}

function rMultiple(leg: Leg, gross: ExactValue, net: ExactValue, move: ExactValue, initialStop: string | null): number | null {
  if (!leg.first || initialStop === null) return null;
  const riskDistance = leg.openPrice.minus(initialStop).times(sideSign(leg.side));
  if (!riskDistance.greaterThan(0)) return null;
  if (move.isZero()) return 0;
  const moneyPerPriceUnit = gross.div(move);
  if (!moneyPerPriceUnit.greaterThan(0)) return null;
  return net.div(riskDistance.times(moneyPerPriceUnit)).toDecimalPlaces(4).toNumber();
}
