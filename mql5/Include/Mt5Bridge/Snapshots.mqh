//+------------------------------------------------------------------+
//| Snapshots.mqh: bodies of the terminal's answers to snapshot and   |
//| history requests (symbol_spec, account, positions, orders, deals, |
//| bars). Prices use the symbol's digits, volumes 2 decimals, money  |
//| 2 decimals, times are server time in epoch milliseconds.          |
//+------------------------------------------------------------------+
#include "Json.mqh"
#include "Enums.mqh"

int SymbolDigits(const string symbol) { return (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS); }
string Price(const string key, const string symbol, const double value) { return JNum(key, value, SymbolDigits(symbol)); }
string Lots(const string key, const double value) { return JNum(key, value, 2); }
string Money(const string key, const double value) { return JNum(key, value, 2); }

/** One day's session windows (`SymbolInfoSessionQuote/Trade`) as {day, fromMinute, toMinute}. */
string SessionWindows(const string symbol, const bool trade)
  {
   string list = "";
   for(int day = 0; day < 7; day++)
      for(uint index = 0; index < 10; index++)
        {
         datetime from, to;
         bool found = trade ? SymbolInfoSessionTrade(symbol, (ENUM_DAY_OF_WEEK)day, index, from, to)
                            : SymbolInfoSessionQuote(symbol, (ENUM_DAY_OF_WEEK)day, index, from, to);
         if(!found) break;
         int fromMinute = (int)((long)from / 60);
         int toMinute = (int)((long)to / 60);
         if(toMinute <= fromMinute) toMinute = 1440; // "until midnight" is reported as 00:00
         JAppend(list, JObj(JInt("day", day) + "," + JInt("fromMinute", fromMinute) + "," + JInt("toMinute", MathMin(toMinute, 1440))));
        }
   return "[" + list + "]";
  }

/** Filling modes a market order may use: the SYMBOL_FILLING_MODE flags; RETURN outside market execution. */
string FillingModes(const string symbol)
  {
   long flags = SymbolInfoInteger(symbol, SYMBOL_FILLING_MODE);
   string list = "";
   if((flags & SYMBOL_FILLING_FOK) != 0) JAppend(list, "\"FOK\"");
   if((flags & SYMBOL_FILLING_IOC) != 0) JAppend(list, "\"IOC\"");
   if((flags & 4) != 0) JAppend(list, "\"BOC\""); // SYMBOL_FILLING_BOC on builds that have it
   if(SymbolInfoInteger(symbol, SYMBOL_TRADE_EXEMODE) != SYMBOL_TRADE_EXECUTION_MARKET || list == "") JAppend(list, "\"RETURN\"");
   return "[" + list + "]";
  }

string TradeModeName(const long mode)
  {
   switch((int)mode)
     {
      case SYMBOL_TRADE_MODE_DISABLED: return "DISABLED";
      case SYMBOL_TRADE_MODE_LONGONLY: return "LONG_ONLY";
      case SYMBOL_TRADE_MODE_SHORTONLY: return "SHORT_ONLY";
      case SYMBOL_TRADE_MODE_CLOSEONLY: return "CLOSE_ONLY";
      default: return "FULL";
     }
  }

string ExecutionModeName(const long mode)
  {
   switch((int)mode)
     {
      case SYMBOL_TRADE_EXECUTION_REQUEST: return "REQUEST";
      case SYMBOL_TRADE_EXECUTION_INSTANT: return "INSTANT";
      case SYMBOL_TRADE_EXECUTION_EXCHANGE: return "EXCHANGE";
      default: return "MARKET";
     }
  }

string SymbolSpec(const string s)
  {
   string m = JStr("symbol", s);
   JAppend(m, JStr("description", SymbolInfoString(s, SYMBOL_DESCRIPTION)));
   JAppend(m, JInt("digits", SymbolDigits(s)));
   JAppend(m, JNum("point", SymbolInfoDouble(s, SYMBOL_POINT), SymbolDigits(s)));
   JAppend(m, JNum("tickSize", SymbolInfoDouble(s, SYMBOL_TRADE_TICK_SIZE), SymbolDigits(s)));
   JAppend(m, JNum("tickValue", SymbolInfoDouble(s, SYMBOL_TRADE_TICK_VALUE), 8));
   JAppend(m, JNum("contractSize", SymbolInfoDouble(s, SYMBOL_TRADE_CONTRACT_SIZE), 2));
   JAppend(m, JNum("volumeMin", SymbolInfoDouble(s, SYMBOL_VOLUME_MIN), 8));
   JAppend(m, JNum("volumeMax", SymbolInfoDouble(s, SYMBOL_VOLUME_MAX), 8));
   JAppend(m, JNum("volumeStep", SymbolInfoDouble(s, SYMBOL_VOLUME_STEP), 8));
   JAppend(m, JNum("volumeLimit", SymbolInfoDouble(s, SYMBOL_VOLUME_LIMIT), 8));
   JAppend(m, JInt("stopsLevel", SymbolInfoInteger(s, SYMBOL_TRADE_STOPS_LEVEL)));
   JAppend(m, JInt("freezeLevel", SymbolInfoInteger(s, SYMBOL_TRADE_FREEZE_LEVEL)));
   JAppend(m, JRaw("fillingModes", FillingModes(s)));
   JAppend(m, JStr("tradeMode", TradeModeName(SymbolInfoInteger(s, SYMBOL_TRADE_MODE))));
   JAppend(m, JStr("executionMode", ExecutionModeName(SymbolInfoInteger(s, SYMBOL_TRADE_EXEMODE))));
   JAppend(m, JRaw("sessions", JObj(JRaw("quote", SessionWindows(s, false)) + "," + JRaw("trade", SessionWindows(s, true)))));
   JAppend(m, JStr("currencyBase", SymbolInfoString(s, SYMBOL_CURRENCY_BASE)));
   JAppend(m, JStr("currencyProfit", SymbolInfoString(s, SYMBOL_CURRENCY_PROFIT)));
   JAppend(m, JStr("currencyMargin", SymbolInfoString(s, SYMBOL_CURRENCY_MARGIN)));
   JAppend(m, JNum("swapLong", SymbolInfoDouble(s, SYMBOL_SWAP_LONG), 4));
   JAppend(m, JNum("swapShort", SymbolInfoDouble(s, SYMBOL_SWAP_SHORT), 4));
   return JObj(m);
  }

/** symbols_request: the asked symbols (or all of Market Watch); unknown names listed apart. */
string SymbolSpecBody(CJson *body)
  {
   string specs = "", unknown = "";
   CJson *names = body.Get("symbols");
   int count = names != NULL ? names.Size() : SymbolsTotal(true);
   for(int i = 0; i < count; i++)
     {
      string name = names != NULL ? names.At(i).text : SymbolName(i, true);
      bool custom = false;
      if(SymbolExist(name, custom) && SymbolSelect(name, true)) JAppend(specs, SymbolSpec(name));
      else JAppend(unknown, "\"" + JsonEscape(name) + "\"");
     }
   return JObj(JRaw("specs", "[" + specs + "]") + "," + JRaw("unknownSymbols", "[" + unknown + "]"));
  }

string MarginModeName(void)
  {
   return AccountInfoInteger(ACCOUNT_MARGIN_MODE) == ACCOUNT_MARGIN_MODE_RETAIL_HEDGING ? "HEDGING" : "NETTING";
  }

bool TradeAllowed(void)
  {
   return TerminalInfoInteger(TERMINAL_TRADE_ALLOWED) && MQLInfoInteger(MQL_TRADE_ALLOWED) && AccountInfoInteger(ACCOUNT_TRADE_EXPERT);
  }

string AccountBody(void)
  {
   double margin = AccountInfoDouble(ACCOUNT_MARGIN);
   string m = JInt("login", AccountInfoInteger(ACCOUNT_LOGIN));
   JAppend(m, JStr("currency", AccountInfoString(ACCOUNT_CURRENCY)));
   JAppend(m, Money("balance", AccountInfoDouble(ACCOUNT_BALANCE)));
   JAppend(m, Money("equity", AccountInfoDouble(ACCOUNT_EQUITY)));
   JAppend(m, Money("margin", margin));
   JAppend(m, Money("freeMargin", AccountInfoDouble(ACCOUNT_MARGIN_FREE)));
   // MT5 reports a margin level of 0 without margin; the protocol says null.
   JAppend(m, margin > 0 ? Money("marginLevel", AccountInfoDouble(ACCOUNT_MARGIN_LEVEL)) : JRaw("marginLevel", "null"));
   JAppend(m, JStr("marginMode", MarginModeName()));
   JAppend(m, JInt("leverage", AccountInfoInteger(ACCOUNT_LEVERAGE)));
   JAppend(m, JBool("tradeAllowed", TradeAllowed()));
   JAppend(m, JInt("time", (long)TimeTradeServer() * 1000));
   return JObj(m);
  }

bool MatchesFilter(CJson *body, const string symbol, const long magic)
  {
   if(body.Has("symbol") && body.Str("symbol") != symbol) return false;
   if(body.Has("magic") && body.Long("magic") != magic) return false;
   return true;
  }

string PositionsBody(CJson *body)
  {
   string list = "";
   for(int i = 0; i < PositionsTotal(); i++)
     {
      ulong ticket = PositionGetTicket(i);
      if(ticket == 0) continue;
      string s = PositionGetString(POSITION_SYMBOL);
      if(!MatchesFilter(body, s, PositionGetInteger(POSITION_MAGIC))) continue;
      string m = JTicket("ticket", ticket);
      JAppend(m, JTicket("identifier", (ulong)PositionGetInteger(POSITION_IDENTIFIER)));
      JAppend(m, JStr("symbol", s));
      JAppend(m, JStr("type", PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY ? "BUY" : "SELL"));
      JAppend(m, Lots("volume", PositionGetDouble(POSITION_VOLUME)));
      JAppend(m, JNum("priceOpen", PositionGetDouble(POSITION_PRICE_OPEN), SymbolDigits(s) + 3)); // netting averages are off the grid
      JAppend(m, Price("priceCurrent", s, PositionGetDouble(POSITION_PRICE_CURRENT)));
      JAppend(m, Price("sl", s, PositionGetDouble(POSITION_SL)));
      JAppend(m, Price("tp", s, PositionGetDouble(POSITION_TP)));
      JAppend(m, Money("profit", PositionGetDouble(POSITION_PROFIT)));
      JAppend(m, Money("swap", PositionGetDouble(POSITION_SWAP)));
      JAppend(m, JInt("time", PositionGetInteger(POSITION_TIME_MSC)));
      JAppend(m, JInt("timeUpdate", PositionGetInteger(POSITION_TIME_UPDATE_MSC)));
      JAppend(m, JInt("magic", PositionGetInteger(POSITION_MAGIC)));
      JAppend(m, JStr("comment", PositionGetString(POSITION_COMMENT)));
      JAppend(list, JObj(m));
     }
   return JObj(JRaw("positions", "[" + list + "]"));
  }

string OrdersBody(CJson *body)
  {
   string list = "";
   for(int i = 0; i < OrdersTotal(); i++)
     {
      ulong ticket = OrderGetTicket(i);
      if(ticket == 0) continue;
      string s = OrderGetString(ORDER_SYMBOL);
      if(!MatchesFilter(body, s, OrderGetInteger(ORDER_MAGIC))) continue;
      string m = JTicket("ticket", ticket);
      JAppend(m, JStr("symbol", s));
      JAppend(m, JStr("type", OrderTypeName((ENUM_ORDER_TYPE)OrderGetInteger(ORDER_TYPE))));
      JAppend(m, JStr("state", OrderStateName((ENUM_ORDER_STATE)OrderGetInteger(ORDER_STATE))));
      JAppend(m, Lots("volumeInitial", OrderGetDouble(ORDER_VOLUME_INITIAL)));
      JAppend(m, Lots("volumeCurrent", OrderGetDouble(ORDER_VOLUME_CURRENT)));
      JAppend(m, Price("priceOpen", s, OrderGetDouble(ORDER_PRICE_OPEN)));
      JAppend(m, Price("stopLimit", s, OrderGetDouble(ORDER_PRICE_STOPLIMIT)));
      JAppend(m, Price("sl", s, OrderGetDouble(ORDER_SL)));
      JAppend(m, Price("tp", s, OrderGetDouble(ORDER_TP)));
      JAppend(m, JInt("timeSetup", OrderGetInteger(ORDER_TIME_SETUP_MSC)));
      JAppend(m, JInt("timeExpiration", OrderGetInteger(ORDER_TIME_EXPIRATION) * 1000));
      JAppend(m, JStr("typeFilling", FillingName((ENUM_ORDER_TYPE_FILLING)OrderGetInteger(ORDER_TYPE_FILLING))));
      JAppend(m, JStr("typeTime", TimeTypeName((ENUM_ORDER_TYPE_TIME)OrderGetInteger(ORDER_TYPE_TIME))));
      JAppend(m, JInt("magic", OrderGetInteger(ORDER_MAGIC)));
      JAppend(m, JStr("comment", OrderGetString(ORDER_COMMENT)));
      JAppend(m, JTicket("positionId", (ulong)OrderGetInteger(ORDER_POSITION_ID)));
      JAppend(list, JObj(m));
     }
   return JObj(JRaw("orders", "[" + list + "]"));
  }

/**
 * deals_request: history deals with DEAL_TIME_MSC in [from, to], oldest first, with the exact
 * magic / comment / position filters. This is how the gateway settles an unknown outcome.
 */
string DealsBody(CJson *body)
  {
   long from = body.Long("from"), to = body.Long("to"), maxCount = body.Long("maxCount", 1000);
   if(!HistorySelect((datetime)(from / 1000), (datetime)(to / 1000 + 1))) return JObj(JRaw("deals", "[]") + "," + JBool("truncated", false));
   string list = "";
   int count = 0;
   bool truncated = false;
   for(int i = 0; i < HistoryDealsTotal(); i++)
     {
      ulong t = HistoryDealGetTicket(i);
      long time = HistoryDealGetInteger(t, DEAL_TIME_MSC);
      if(time < from || time > to) continue;
      if(body.Has("magic") && HistoryDealGetInteger(t, DEAL_MAGIC) != body.Long("magic")) continue;
      if(body.Has("comment") && HistoryDealGetString(t, DEAL_COMMENT) != body.Str("comment")) continue;
      if(body.Has("positionId") && (ulong)HistoryDealGetInteger(t, DEAL_POSITION_ID) != body.Ticket("positionId")) continue;
      if(count++ >= maxCount) { truncated = true; break; }
      string s = HistoryDealGetString(t, DEAL_SYMBOL);
      string m = JTicket("ticket", t);
      JAppend(m, JTicket("order", (ulong)HistoryDealGetInteger(t, DEAL_ORDER)));
      JAppend(m, JTicket("positionId", (ulong)HistoryDealGetInteger(t, DEAL_POSITION_ID)));
      JAppend(m, JStr("symbol", s));
      JAppend(m, JStr("type", DealTypeName((ENUM_DEAL_TYPE)HistoryDealGetInteger(t, DEAL_TYPE))));
      JAppend(m, JStr("entry", DealEntryName((ENUM_DEAL_ENTRY)HistoryDealGetInteger(t, DEAL_ENTRY))));
      JAppend(m, Lots("volume", HistoryDealGetDouble(t, DEAL_VOLUME)));
      JAppend(m, JNum("price", HistoryDealGetDouble(t, DEAL_PRICE), s == "" ? 2 : SymbolDigits(s)));
      JAppend(m, Money("commission", HistoryDealGetDouble(t, DEAL_COMMISSION)));
      JAppend(m, Money("swap", HistoryDealGetDouble(t, DEAL_SWAP)));
      JAppend(m, Money("profit", HistoryDealGetDouble(t, DEAL_PROFIT)));
      JAppend(m, Money("fee", HistoryDealGetDouble(t, DEAL_FEE)));
      JAppend(m, JInt("time", time));
      JAppend(m, JInt("magic", HistoryDealGetInteger(t, DEAL_MAGIC)));
      JAppend(m, JStr("comment", HistoryDealGetString(t, DEAL_COMMENT)));
      JAppend(m, JStr("reason", DealReasonName((ENUM_DEAL_REASON)HistoryDealGetInteger(t, DEAL_REASON))));
      JAppend(list, JObj(m));
     }
   return JObj(JRaw("deals", "[" + list + "]") + "," + JBool("truncated", truncated));
  }

/** bars_request: CopyRates over [from, to]; the last bar may still be forming (the gateway drops it). */
string BarsBody(CJson *body, string &error)
  {
   string s = body.Str("symbol"), tf = body.Str("timeframe");
   ENUM_TIMEFRAMES period;
   if(!TimeframeFromName(tf, period)) { error = "unknown timeframe " + tf; return ""; }
   MqlRates rates[];
   int n = CopyRates(s, period, (datetime)(body.Long("from") / 1000), (datetime)(body.Long("to") / 1000), rates);
   if(n < 0) { error = "CopyRates failed: " + IntegerToString(GetLastError()); return ""; }
   int maxCount = (int)body.Long("maxCount", 1000);
   string list = "";
   for(int i = 0; i < n && i < maxCount; i++)
     {
      string m = JInt("time", (long)rates[i].time * 1000);
      JAppend(m, Price("open", s, rates[i].open));
      JAppend(m, Price("high", s, rates[i].high));
      JAppend(m, Price("low", s, rates[i].low));
      JAppend(m, Price("close", s, rates[i].close));
      JAppend(m, JInt("tickVolume", rates[i].tick_volume));
      JAppend(m, JInt("spread", rates[i].spread));
      JAppend(m, JInt("realVolume", rates[i].real_volume));
      JAppend(list, JObj(m));
     }
   return JObj(JStr("symbol", s) + "," + JStr("timeframe", tf) + "," + JRaw("bars", "[" + list + "]") + "," + JBool("truncated", n > maxCount));
  }
//+------------------------------------------------------------------+
